import { Testing } from 'cdktf';

// Adds cdktf's matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
Testing.setupJest();
