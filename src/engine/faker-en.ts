/**
 * Faker with the English locale only. `@faker-js/faker`'s root entry loads every locale (about 30 MB of memory);
 * its `locale/en` entry loads just English and the base data, and carries the Faker class and the merged
 * definitions we need — the draws are identical to `new Faker({ locale: [en, base] })`.
 */
import type { Faker, LocaleDefinition } from '@faker-js/faker';
import { faker as englishFaker } from '@faker-js/faker/locale/en';

type FakerClass = new (options: { locale: LocaleDefinition }) => Faker;

/** The English + base locale definitions (names, cities, countries, words…). */
export const EN_DEFINITIONS: LocaleDefinition = englishFaker.rawDefinitions;

/** A new, independently seedable Faker over the English locale. */
export function newEnglishFaker(seed: number): Faker {
  const f = new (englishFaker.constructor as FakerClass)({ locale: EN_DEFINITIONS });
  f.seed(seed);
  return f;
}
