// The tool's name and version, as written into reports (keep in step with package.json; a test checks).
export const TOOL = { name: 'ddpkit', version: '0.1.0' } as const;
