import { Resvg } from '@resvg/resvg-js';

/**
 * SVG to PNG at report resolution. The fonts installed with the app's system (DejaVu, Noto CJK)
 * are loaded so labels in any script render; the chart SVG carries its fonts as attributes.
 */
export function svgToPng(svg: string, scale: number): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(resvg.render().asPng());
}
