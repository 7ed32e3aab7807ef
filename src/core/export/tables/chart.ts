import { Resvg } from '@resvg/resvg-js';

const CJK = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;

/** The face resvg uses for CJK labels: Noto Sans CJK SC (fonts-noto-cjk) draws Simplified Chinese forms. */
export const CJK_FACE = 'Noto Sans CJK SC';

/**
 * Labels with Chinese, Japanese or Korean characters get a sans-serif CJK face first: otherwise
 * resvg falls back to whichever installed font has the glyphs (often a serif one) for the whole label.
 */
export function preferCjkSans(svg: string): string {
  return svg.replace(/<text\b([^>]*)>([^<]*)<\/text>/g, (match, attrs: string, text: string) =>
    CJK.test(text) && /font-family="/.test(attrs)
      ? `<text${attrs.replace(/font-family="([^"]*)"/, (_m, family: string) => `font-family="${CJK_FACE}, ${family}"`)}>${text}</text>`
      : match,
  );
}

/**
 * SVG to PNG at report resolution (scale 2 ≈ 200 dpi at the chart's size), with the fonts
 * installed on the system (DejaVu, Noto CJK); the chart SVG carries its fonts as attributes.
 */
export function svgToPng(svg: string, scale: number): Uint8Array {
  const resvg = new Resvg(preferCjkSans(svg), {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(resvg.render().asPng());
}
