import type { ESLint, Rule } from 'eslint';

/** Types of module-boundaries.cjs, for its jest test. */
interface DepConstraint {
  sourceTag: string;
  onlyDependOnLibsWithTags: string[];
}
declare const plugin: ESLint.Plugin & {
  rules: { 'module-boundaries': Rule.RuleModule };
  depConstraints: DepConstraint[];
};
export = plugin;
