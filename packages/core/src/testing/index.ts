export { describeReadme, type ReadmeExample, readmeExamples, runExample } from './readme-examples.js';
