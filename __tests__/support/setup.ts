import { Testing } from 'cdktf';
// Brings the matchers' type declarations into the test program.
import type {} from 'cdktf/lib/testing/adapters/jest';

// Adds cdktf's matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
Testing.setupJest();
