/**
 * NO_COLOR for the wall: blessed-contrib's widgets pick some colours of their own (axis text, legends,
 * canvas defaults), so rather than chase each one, the bytes on their way to the terminal lose every
 * colour parameter of their SGR sequences. Bold, underline and inverse stay: NO_COLOR allows them.
 */

const SGR = new RegExp(`${String.fromCharCode(27)}\\[([0-9;:]*)m`, 'g');

/** The SGR parameters left once colours are taken out ('' if none are left, which means a reset). */
function keepAttributes(params: string): string | null {
  if (params === '') return '';
  const p = params.split(';');
  const kept: string[] = [];
  for (let i = 0; i < p.length; i++) {
    const code = p[i] === '' ? 0 : Number(p[i].split(':')[0]);
    if (code === 38 || code === 48 || code === 58) {
      // Extended colour: 5;N or 2;R;G;B follow (unless given with colons inside one parameter).
      if (!p[i].includes(':')) i += p[i + 1] === '5' ? 2 : p[i + 1] === '2' ? 4 : 0;
      continue;
    }
    if ((code >= 30 && code <= 39) || (code >= 40 && code <= 49) || (code >= 90 && code <= 107)) continue;
    kept.push(p[i]);
  }
  return kept.length === 0 ? null : kept.join(';');
}

/** `text` with the colour taken out of every SGR sequence (a sequence left empty is dropped). */
export function stripColors(text: string): string {
  return text.replace(SGR, (_, params: string) => {
    const kept = keepAttributes(params);
    return kept === null ? '' : `\x1b[${kept}m`;
  });
}
