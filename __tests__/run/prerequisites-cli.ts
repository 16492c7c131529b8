/** `npm test`'s first step, before the type check: what the tests need is there (see prerequisites.ts). */
import { exitUnlessPrerequisites } from './prerequisites';

exitUnlessPrerequisites(process.env);
