/**
 * A small deterministic synthetic corpus of Stack-Exchange-like questions (title + body), the training
 * data of the tiny LM (MODELS.md §2–3). Five communities, each with its own word lists; words are drawn
 * with Zipf-like weights so the bigram statistics are informative (a model trained on it must beat a
 * shuffled-text baseline by a wide margin).
 */
import { Rng, type SeedKey } from '@mechlab/core';

interface Community {
  readonly name: string;
  readonly nouns: readonly string[];
  readonly verbs: readonly string[];
  readonly adjectives: readonly string[];
  readonly tools: readonly string[];
  readonly failures: readonly string[];
}

/** `'a|b c|d'` → `['a', 'b c', 'd']` (keeps the word lists readable under prettier). */
function list(items: string): readonly string[] {
  return items.split('|');
}

const COMMUNITIES: readonly Community[] = [
  {
    name: 'programming',
    nouns: list(
      'array|function|string|list|object|class|variable|loop|file|request|database|query|server|module|thread|pointer|map|test|build|package',
    ),
    verbs: list(
      'sort|parse|convert|read|write|call|return|update|create|delete|import|compile|debug|deploy|install',
    ),
    adjectives: list('empty|large|nested|async|global|static|private|default|new|old'),
    tools: list('Python|JavaScript|Java|Rust|TypeScript|Docker|React|Node|Git|SQL'),
    failures: list('crashes|returns null|throws an error|hangs|fails to compile|is very slow'),
  },
  {
    name: 'cooking',
    nouns: list(
      'bread|dough|sauce|cake|rice|chicken|pasta|soup|oven|butter|flour|egg|steak|onion|garlic|pan|knife|recipe|yeast|sugar',
    ),
    verbs: list('bake|cook|boil|fry|roast|mix|knead|slice|store|freeze|thicken|season|grill|melt|reheat'),
    adjectives: list('fresh|frozen|dry|sticky|crispy|raw|thick|sweet|salty|soft'),
    tools: list(
      'a cast iron pan|a slow cooker|a pressure cooker|a stand mixer|a gas oven|a microwave|a wok|a blender',
    ),
    failures: list('burns|falls apart|tastes bitter|does not rise|turns soggy|sticks to the pan'),
  },
  {
    name: 'travel',
    nouns: list(
      'visa|passport|flight|ticket|train|hotel|border|airport|luggage|bag|bus|embassy|insurance|card|layover|customs|hostel|route|ferry|car',
    ),
    verbs: list(
      'book|cancel|change|renew|extend|cross|carry|check|apply for|travel with|pay for|rent|board|miss|transfer',
    ),
    adjectives: list('cheap|direct|international|expired|lost|delayed|overnight|domestic|last minute|long'),
    tools: list('Japan|France|Canada|Germany|Brazil|India|Italy|Mexico|Spain|Thailand'),
    failures: list('gets cancelled|is denied|is delayed|costs too much|is not accepted|expires'),
  },
  {
    name: 'math',
    nouns: list(
      'integral|matrix|proof|series|limit|function|group|equation|sequence|polynomial|vector|derivative|set|graph|prime|field|ring|norm|space|root',
    ),
    verbs: list(
      'prove|compute|solve|evaluate|show|find|bound|simplify|factor|integrate|differentiate|approximate|construct|count|estimate',
    ),
    adjectives: list('finite|convex|continuous|linear|compact|positive|complex|real|symmetric|infinite'),
    tools: list(
      'induction|contradiction|a substitution|Fourier analysis|linear algebra|the mean value theorem|Taylor series|generating functions',
    ),
    failures: list('diverges|does not converge|has no solution|is undefined|blows up|is not unique'),
  },
  {
    name: 'gardening',
    nouns: list(
      'tomato|rose|lawn|seed|soil|tree|leaf|root|pot|compost|hedge|basil|pepper|weed|bulb|shrub|fence|bed|mulch|grass',
    ),
    verbs: list(
      'plant|water|prune|grow|fertilize|repot|transplant|protect|cut|harvest|propagate|feed|dig|mow|cover',
    ),
    adjectives: list('yellow|brown|wilted|young|tall|clay|sandy|wet|shady|dry'),
    tools: list(
      'a raised bed|a greenhouse|a balcony|a container|clay soil|full sun|partial shade|a cold frame',
    ),
    failures: list('dies|turns yellow|stops growing|gets mold|rots|drops its leaves'),
  },
];

/** Zipf-like pick: item k has weight 1/(k+1). */
function pick<T>(rng: Rng, items: readonly T[]): T {
  let total = 0;
  for (let k = 0; k < items.length; k++) total += 1 / (k + 1);
  let u = rng.next() * total;
  for (let k = 0; k < items.length; k++) {
    u -= 1 / (k + 1);
    if (u < 0) return items[k]!;
  }
  return items[items.length - 1]!;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function title(rng: Rng, c: Community): string {
  const noun = pick(rng, c.nouns);
  const adj = pick(rng, c.adjectives);
  switch (rng.int(6)) {
    case 0:
      return `How do I ${pick(rng, c.verbs)} ${article(adj)} ${adj} ${noun} with ${pick(rng, c.tools)}?`;
    case 1:
      return `Why does my ${noun} ${pick(rng, c.failures)} when I ${pick(rng, c.verbs)} it?`;
    case 2:
      return `What is the best way to ${pick(rng, c.verbs)} ${article(adj)} ${adj} ${noun}?`;
    case 3:
      return `Is it possible to ${pick(rng, c.verbs)} the ${noun} without ${article(noun)} ${pick(rng, c.nouns)}?`;
    case 4:
      return `${capitalise(adj)} ${noun} ${pick(rng, c.failures)} after I ${pick(rng, c.verbs)} the ${pick(rng, c.nouns)}`;
    default:
      return `Can I ${pick(rng, c.verbs)} ${article(noun)} ${noun} using ${pick(rng, c.tools)}?`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function bodySentence(rng: Rng, c: Community): string {
  const noun = pick(rng, c.nouns);
  switch (rng.int(7)) {
    case 0:
      return `I am trying to ${pick(rng, c.verbs)} the ${noun} with ${pick(rng, c.tools)}, but it ${pick(rng, c.failures)}.`;
    case 1:
      return `I have tried to ${pick(rng, c.verbs)} the ${pick(rng, c.adjectives)} ${noun} and it still ${pick(rng, c.failures)}.`;
    case 2:
      return `The ${noun} is ${pick(rng, c.adjectives)} and the ${pick(rng, c.nouns)} is ${pick(rng, c.adjectives)}.`;
    case 3:
      return `Any help would be appreciated.`;
    case 4:
      return `Is there a better way to ${pick(rng, c.verbs)} ${article(noun)} ${noun}?`;
    case 5:
      return `I read that you should ${pick(rng, c.verbs)} the ${noun} first, is that true?`;
    default:
      return `Thanks in advance.`;
  }
}

/** One synthetic question: `{ community, title, body, text }` where `text = title + "\n" + body`. */
export interface SyntheticQuestion {
  readonly community: string;
  readonly title: string;
  readonly body: string;
  readonly text: string;
}

/**
 * `count` synthetic questions, a pure function of `(count, seed)`: question `k` is drawn from the stream
 * `Rng.fromPath([seed, 'perplexity.corpus', k])`, so prefixes agree across counts.
 * Complexity: O(count).
 * @example syntheticQuestions(1, 7)[0].text // 'How do I …?\nI am trying to …'
 */
export function syntheticQuestions(count: number, seed: SeedKey = 1): SyntheticQuestion[] {
  const out: SyntheticQuestion[] = [];
  for (let k = 0; k < count; k++) {
    const rng = Rng.fromPath([seed, 'perplexity.corpus', k]);
    const c = COMMUNITIES[rng.int(COMMUNITIES.length)]!;
    const t = title(rng, c);
    const n = 1 + rng.int(3);
    const sentences: string[] = [];
    for (let s = 0; s < n; s++) sentences.push(bodySentence(rng, c));
    const body = sentences.join(' ');
    out.push({ community: c.name, title: t, body, text: `${t}\n${body}` });
  }
  return out;
}

/**
 * The same text with its words (whitespace-separated) shuffled by a seeded permutation — the
 * out-of-distribution control for the tiny LM. Complexity: O(|text|).
 */
export function shuffleWords(text: string, seed: SeedKey): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  Rng.fromPath([seed, 'perplexity.shuffle']).shuffle(words);
  return words.join(' ');
}
