import { Testing } from 'cdktf';
// The SDK's Node.js 20 notice, off the documented way (see the file), here and
// in every process a test starts with this environment.
import '../../scripts/quiet-sdk';
// Brings the matchers' type declarations into the test program.
import type {} from 'cdktf/lib/testing/adapters/jest';

// Adds cdktf's matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
Testing.setupJest();
