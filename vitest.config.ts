import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    // The AWS SDK's Node.js 22 notice, once per worker, would flood the output; its documented switch
    // (https://github.com/aws/aws-sdk-js-v3/issues/7983) turns off only that notice.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
