// Embed: the tag to paste for the site (the README's, with this server's origin and the site key),
// step by step for plain HTML, Tilda, WordPress, Google Tag Manager and 1C-Bitrix, and the JS API
// snippet, and whether the tag is live on each allowed origin. Nothing secret: a site token sees it too.
import type { ApiClient } from '../api'
import { CopyButton } from '../copy-button'
import { useStrings } from '../i18n'
import type { Locale } from '../i18n'
import { TagStatusPanel } from './tag-status'

/**
 * The tag for a site, loading widget.js from the server the console is served by.
 * @example
 * embedTag('https://leads.example', 'shop') // → '<script src="https://leads.example/widget.js" data-site="shop" async></script>'
 */
export function embedTag(origin: string, site: string): string {
  return `<script src="${origin}/widget.js" data-site="${site}" async></script>`
}

/** The queue stub and two buttons (docs/widget.md, JavaScript API): calls made before the tag loads wait for it. */
export const JS_API_SNIPPET = `<script>window.Leadcatcher = window.Leadcatcher || function () { (Leadcatcher.q = Leadcatcher.q || []).push(arguments) }</script>
<button type="button" onclick="Leadcatcher('open', 'callback')">Call me back</button>
<button type="button" onclick="Leadcatcher('open', 'chat')">Ask a question</button>
<script>Leadcatcher('on', 'lead', function (lead) { console.log('lead sent', lead.id, lead.source) })</script>`

export const PLATFORMS = ['html', 'tilda', 'wordpress', 'gtm', 'bitrix'] as const
export type Platform = (typeof PLATFORMS)[number]

interface EmbedWords {
  title: string
  intro: string
  tagLabel: string
  copyTag: string
  originsNote: string
  platforms: Record<Platform, { name: string; steps: string[] }>
  jsApi: string
  jsApiIntro: string
  copySnippet: string
}

const WORDS: Record<Locale, EmbedWords> = {
  en: {
    title: 'Embed',
    intro: 'Paste this tag once on every page where the widget should appear. It loads asynchronously and does not slow the page down.',
    tagLabel: 'The tag',
    copyTag: 'Copy the tag',
    originsNote: 'The widget works only on the site’s allowed origins (its origins in Settings and the API); on another address its requests are refused.',
    platforms: {
      html: {
        name: 'Plain HTML',
        steps: [
          'Open the page’s HTML (or the layout every page shares).',
          'Paste the tag just before </head>.',
          'Upload the file and reload the page: the button appears in the corner.',
        ],
      },
      tilda: {
        name: 'Tilda',
        steps: [
          'Whole site: Site Settings → More → “HTML code for the HEAD section” (“HTML-код для вставки внутрь HEAD”), paste the tag, Save.',
          'Or on one page only: add block T123 (“HTML code”, under Other), paste the tag into it, Save.',
          'Re-publish: Publish all pages (site settings) or Publish (the page). Tilda changes nothing on the live site until then.',
        ],
      },
      wordpress: {
        name: 'WordPress',
        steps: [
          'Install a header-code plugin such as WPCode (Plugins → Add New → “WPCode”) and activate it.',
          'Code Snippets → Header & Footer: paste the tag into Header, Save Changes.',
          'Clear the cache of a caching plugin (WP Rocket, W3 Total Cache…), if you use one, and reload the site.',
        ],
      },
      gtm: {
        name: 'Google Tag Manager',
        steps: [
          'Tags → New → Tag Configuration → Custom HTML; paste the tag.',
          'Triggering: All Pages. Save.',
          'Submit → Publish. The widget appears once the container version is live.',
        ],
      },
      bitrix: {
        name: '1C-Bitrix',
        steps: [
          'Settings → Product Settings → Sites → Site templates; open the template your site uses.',
          'In the template’s code, paste the tag just before </head>, Save.',
          'Clear the cache (Settings → Product Settings → Autocaching → Clear cache files) and reload the site.',
        ],
      },
    },
    jsApi: 'JavaScript API',
    jsApiIntro:
      'Your own buttons can open the widget, and your code can hear of each lead sent. Paste the first line before any call; calls made before the tag loads wait for it.',
    copySnippet: 'Copy the snippet',
  },
  ru: {
    title: 'Код для сайта',
    intro: 'Вставьте этот тег один раз на каждую страницу, где нужен виджет. Он грузится асинхронно и не замедляет страницу.',
    tagLabel: 'Тег',
    copyTag: 'Копировать тег',
    originsNote: 'Виджет работает только на разрешённых адресах сайта (origins в настройках и API); на другом адресе его запросы отклоняются.',
    platforms: {
      html: {
        name: 'Обычный HTML',
        steps: ['Откройте HTML страницы (или общий шаблон всех страниц).', 'Вставьте тег перед </head>.', 'Загрузите файл и обновите страницу: в углу появится кнопка.'],
      },
      tilda: {
        name: 'Tilda',
        steps: [
          'Для всего сайта: Настройки сайта → Ещё → «HTML-код для вставки внутрь HEAD», вставьте тег, Сохранить.',
          'Или только на одной странице: добавьте блок T123 («HTML-код», раздел «Другое»), вставьте в него тег, Сохранить.',
          'Переопубликуйте: «Опубликовать все страницы» (настройки сайта) или «Опубликовать» (страница). До этого на живом сайте ничего не изменится.',
        ],
      },
      wordpress: {
        name: 'WordPress',
        steps: [
          'Установите плагин для кода в шапке, например WPCode (Плагины → Добавить новый → «WPCode»), и активируйте его.',
          'Code Snippets → Header & Footer: вставьте тег в поле Header, сохраните.',
          'Очистите кеш плагина кеширования (WP Rocket, W3 Total Cache…), если он есть, и обновите сайт.',
        ],
      },
      gtm: {
        name: 'Google Tag Manager',
        steps: [
          'Теги → Создать → Конфигурация тега → Пользовательский HTML; вставьте тег.',
          'Триггеры: All Pages (все страницы). Сохранить.',
          'Отправить → Опубликовать. Виджет появится, когда версия контейнера опубликована.',
        ],
      },
      bitrix: {
        name: '1С-Битрикс',
        steps: [
          'Настройки → Настройки продукта → Сайты → Шаблоны сайтов; откройте шаблон вашего сайта.',
          'В коде шаблона вставьте тег прямо перед </head>, сохраните.',
          'Очистите кеш (Настройки → Настройки продукта → Автокеширование → Очистка файлов кеша) и обновите сайт.',
        ],
      },
    },
    jsApi: 'JavaScript API',
    jsApiIntro:
      'Свои кнопки могут открывать виджет, а ваш код — узнавать о каждой отправленной заявке. Первую строку вставьте до любых вызовов; вызовы до загрузки тега дождутся его.',
    copySnippet: 'Копировать код',
  },
}

/** With `api`, the page also says whether the tag is live on each allowed origin (tag-status.tsx). */
export function EmbedPage({ site, origin = location.origin, api }: { site: string; origin?: string; api?: ApiClient }) {
  const { locale } = useStrings()
  const w = WORDS[locale]
  return (
    <section aria-labelledby="page-title" class="embed">
      <h1 id="page-title" tabIndex={-1}>
        {w.title} · {site}
      </h1>
      {api && <TagStatusPanel api={api} site={site} />}
      <EmbedInstructions site={site} origin={origin} />
    </section>
  )
}

/** The page without its heading: the tag, the platforms' steps and the JS API (the new-site wizard's step 4 shows it too). */
export function EmbedInstructions({ site, origin = location.origin }: { site: string; origin?: string }) {
  const { locale } = useStrings()
  const w = WORDS[locale]
  const tag = embedTag(origin, site)
  return (
    <>
      <p>{w.intro}</p>
      <div class="control">
        <label for="embed-tag">{w.tagLabel}</label>
        <textarea id="embed-tag" class="code" readOnly rows={3} value={tag} />
        <CopyButton text={tag} fieldId="embed-tag" label={w.copyTag} />
      </div>
      <p class="hint">{w.originsNote}</p>
      {PLATFORMS.map((platform) => (
        <section key={platform} class="embed-platform" aria-labelledby={`embed-${platform}`}>
          <h2 id={`embed-${platform}`}>{w.platforms[platform].name}</h2>
          <ol>
            {w.platforms[platform].steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </section>
      ))}
      <section class="embed-platform" aria-labelledby="embed-js-api">
        <h2 id="embed-js-api">{w.jsApi}</h2>
        <p>{w.jsApiIntro}</p>
        <label for="embed-js" class="sr-only">
          {w.jsApi}
        </label>
        <textarea id="embed-js" class="code" readOnly rows={7} value={JS_API_SNIPPET} />
        <CopyButton text={JS_API_SNIPPET} fieldId="embed-js" label={w.copySnippet} />
      </section>
    </>
  )
}
