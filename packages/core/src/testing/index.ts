export { type Mutation, type MutationOptions, mutations } from './fuzz.js';
export { describeReadme, type ReadmeExample, readmeExamples, runExample } from './readme-examples.js';
