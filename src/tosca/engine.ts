import { parseTemplate } from './parse-template.js';
import { TypeLibrary } from './type-library.js';
import type { ToscaEngine, ToscaEngineOptions } from './types.js';

/** An engine owns its type library: type files are read and indexed once, then shared by every parse. */
export function createToscaEngine(options: ToscaEngineOptions = {}): ToscaEngine {
  const library = new TypeLibrary(options);
  return {
    parse: (content) => parseTemplate(content, library),
  };
}
