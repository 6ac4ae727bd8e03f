import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../../widget/i18n/catalog';
import { PAGE_WORDS, type PageLanguage, pageStrings } from './page-strings';

const languages = Object.keys(PAGE_WORDS) as PageLanguage[];

describe('the words the content script puts into CRM pages', () => {
  it("come in the sidebar's six languages", () => {
    expect(languages.sort()).toEqual(Object.keys(CATALOGS).sort());
  });

  it('follow the first browser language that has them, English otherwise', () => {
    expect(pageStrings(['pl-PL', 'de-CH', 'fr']).language).toBe('de');
    expect(pageStrings(['pt-BR']).language).toBe('en');
    expect(pageStrings([]).openSidebar).toBe('Open Caller Context');
    expect(pageStrings(['es-MX']).shownElsewhere).toBe(
      'Caller Context se muestra en otra pestaña: mostrar aquí',
    );
  });

  it.each(languages)('%s names the sidebar button as the sidebar itself does', (language) => {
    // The page's button and the collapsed sidebar's tab open the same thing: one name.
    expect(pageStrings([language]).openSidebar).toBe(CATALOGS[language].expand);
  });

  it.each(languages.filter((l) => l !== 'en'))('%s has its own words for each', (language) => {
    const own = PAGE_WORDS[language];
    for (const key of Object.keys(PAGE_WORDS.en) as (keyof typeof own)[])
      expect(own[key], `${language} ${key}`).not.toBe(PAGE_WORDS.en[key]);
  });

  it("passes the browser's reason on, or says it is unknown", () => {
    const italian = pageStrings(['it-IT']);
    expect(italian.sidePanelFailed('No active tab')).toBe(
      'Il pannello laterale non si è aperto: No active tab',
    );
    expect(italian.sidePanelFailed(undefined)).toBe(
      'Il pannello laterale non si è aperto: motivo sconosciuto',
    );
    expect(pageStrings(['en']).sidePanelFailed(undefined)).toBe(
      'The side panel did not open: unknown',
    );
  });
});
