/**
 * The few words the content script puts into a CRM page (the side-panel button, the "shown in
 * another tab" button, the frame's title), in the agent's language like the sidebar's: the first
 * of the browser's languages that has them, English otherwise. Kept here rather than taken from
 * widget/i18n so that the content script, which every CRM page loads, carries five sentences per
 * language instead of the sidebar's whole catalogs.
 */
export interface PageStrings {
  /** BCP 47 language of these words, for the `lang` of what shows them. */
  language: PageLanguage;
  /** The button that opens the sidebar in the browser's side panel. */
  openSidebar: string;
  /** The side panel did not open; `reason` is the browser's own (English) text, if any. */
  sidePanelFailed(reason: string | undefined): string;
  /** The extension was updated or reloaded under the page: its old script can do nothing. */
  reloadPage: string;
  /** The sidebar shows in another CRM tab; the button brings it here. */
  shownElsewhere: string;
  /** The sidebar frame's title (its accessible name). */
  frameTitle: string;
}

export type PageLanguage = 'en' | 'it' | 'ru' | 'de' | 'fr' | 'es';

interface Words {
  openSidebar: string;
  sidePanelFailed: string;
  unknownReason: string;
  reloadPage: string;
  shownElsewhere: string;
}

export const PAGE_WORDS: Record<PageLanguage, Words> = {
  en: {
    openSidebar: 'Open Caller Context',
    sidePanelFailed: 'The side panel did not open: {reason}',
    unknownReason: 'unknown',
    reloadPage: 'The extension was updated: reload this page.',
    shownElsewhere: 'Caller Context is shown in another tab: show here',
  },
  it: {
    openSidebar: 'Apri Caller Context',
    sidePanelFailed: 'Il pannello laterale non si è aperto: {reason}',
    unknownReason: 'motivo sconosciuto',
    reloadPage: 'L’estensione è stata aggiornata: ricarica questa pagina.',
    shownElsewhere: 'Caller Context è aperto in un’altra scheda: mostralo qui',
  },
  ru: {
    openSidebar: 'Открыть Caller Context',
    sidePanelFailed: 'Боковая панель не открылась: {reason}',
    unknownReason: 'причина неизвестна',
    reloadPage: 'Расширение обновлено: перезагрузите эту страницу.',
    shownElsewhere: 'Caller Context открыт в другой вкладке: показать здесь',
  },
  de: {
    openSidebar: 'Caller Context öffnen',
    sidePanelFailed: 'Die Seitenleiste hat sich nicht geöffnet: {reason}',
    unknownReason: 'Grund unbekannt',
    reloadPage: 'Die Erweiterung wurde aktualisiert: Bitte laden Sie diese Seite neu.',
    shownElsewhere: 'Caller Context wird in einem anderen Tab angezeigt: hier anzeigen',
  },
  fr: {
    openSidebar: 'Ouvrir Caller Context',
    sidePanelFailed: 'Le panneau latéral ne s’est pas ouvert : {reason}',
    unknownReason: 'raison inconnue',
    reloadPage: 'L’extension a été mise à jour : rechargez cette page.',
    shownElsewhere: 'Caller Context est affiché dans un autre onglet : afficher ici',
  },
  es: {
    openSidebar: 'Abrir Caller Context',
    sidePanelFailed: 'El panel lateral no se abrió: {reason}',
    unknownReason: 'motivo desconocido',
    reloadPage: 'La extensión se actualizó: vuelva a cargar esta página.',
    shownElsewhere: 'Caller Context se muestra en otra pestaña: mostrar aquí',
  },
};

function isPageLanguage(tag: string): tag is PageLanguage {
  return tag in PAGE_WORDS;
}

/** The page's words in the first of `languages` (`navigator.languages`) that has them. */
export function pageStrings(languages: readonly string[] = navigator.languages): PageStrings {
  const language =
    languages.map((tag) => tag.toLowerCase().split('-')[0] ?? '').find(isPageLanguage) ?? 'en';
  const words = PAGE_WORDS[language];
  return {
    language,
    openSidebar: words.openSidebar,
    sidePanelFailed: (reason) =>
      words.sidePanelFailed.replace('{reason}', reason || words.unknownReason),
    reloadPage: words.reloadPage,
    shownElsewhere: words.shownElsewhere,
    // The product's name, the same in every language.
    frameTitle: 'Caller Context',
  };
}
