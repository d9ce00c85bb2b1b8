/**
 * Images people upload (company logos), decoded by a bounded decoder (sharp/libvips)
 * before anything else reads them.
 *
 * pdfkit's own PNG decoder runs zlib in a callback and throws there when the data is
 * not what the header says: an 89-byte "PNG" took the whole web process down on the
 * next voucher sheet. A decompression bomb (a few KB that declare 6000×6000 pixels)
 * cost seconds and hundreds of MB. So an upload is decoded here, off the event loop
 * (libvips' threads), with a pixel cap checked from the header before any pixel is
 * decoded, and only a re-encoded, small PNG is kept. Whatever cannot be decoded is
 * refused with the reason.
 */
import sharp from 'sharp';

// One libvips thread per image and no operation cache: a logo is small work, and
// the web process keeps its memory for requests.
sharp.concurrency(1);
sharp.cache(false);

/** The most pixels a logo may declare (4096×4096): far more than any logo needs, far less than a bomb. */
export const IMAGE_MAX_PIXELS = 4096 * 4096;
/** The stored logo's longest side. */
export const LOGO_MAX_SIDE = 512;

export type ImageProblem = 'invalid' | 'too_large';

export class ImageRejected extends Error {
  constructor(readonly problem: ImageProblem, message: string) {
    super(message);
    this.name = 'ImageRejected';
  }
}

function rejected(error: unknown): ImageRejected {
  const message = String((error as Error)?.message ?? error);
  return new ImageRejected(/pixel limit/i.test(message) ? 'too_large' : 'invalid', message);
}

/**
 * Decodes `data` (PNG, JPEG or WebP) and returns it as a PNG no larger than
 * `maxSide` on either side. Throws ImageRejected when the bytes do not decode or
 * declare more than IMAGE_MAX_PIXELS.
 */
export async function normalizeToPng(data: Buffer, maxSide = LOGO_MAX_SIDE): Promise<{ png: Buffer; width: number; height: number }> {
  try {
    const image = sharp(data, { limitInputPixels: IMAGE_MAX_PIXELS, failOn: 'error', animated: false, sequentialRead: true });
    const meta = await image.metadata();
    if (!meta.width || !meta.height) throw new ImageRejected('invalid', 'no dimensions');
    if (meta.width * meta.height > IMAGE_MAX_PIXELS) throw new ImageRejected('too_large', `${meta.width}x${meta.height}`);
    const { data: png, info } = await image
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    return { png, width: info.width, height: info.height };
  } catch (error) {
    throw error instanceof ImageRejected ? error : rejected(error);
  }
}

/**
 * A logo made safe and cheap for a printed sheet: small, flattened on white (no
 * alpha channel for pdfkit to split in JavaScript), PNG. Null when it cannot be
 * decoded (a logo stored before uploads were decoded): the sheet goes without it.
 */
export async function printableLogo(data: Buffer): Promise<Buffer | null> {
  try {
    return await sharp(data, { limitInputPixels: IMAGE_MAX_PIXELS, failOn: 'error', animated: false })
      .resize({ width: 160, height: 80, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .png()
      .toBuffer();
  } catch {
    return null;
  }
}
