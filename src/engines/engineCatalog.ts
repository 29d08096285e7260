/**
 * The model profiles a server offers and the engines behind each. A client's `model` (or, for agent
 * sessions, its agent name) picks a profile. With one profile, every model name is served by it.
 * With several, a name without a profile falls back to the default profile (named in
 * session.created's `model`, with a warning) or is refused, as configured. Engines shared by several
 * profiles are built once.
 */
import type { EngineSet } from './engineSet.js';
import { describeEngines } from './engineSet.js';

export interface ModelProfile {
  /** The name clients use (`model=<name>`); the default profile's is `defaultModel`. */
  name: string;
  engines: EngineSet;
  voice: string;
  instructions: string;
  temperature: number;
}

export type ProfileChoice =
  | {
      ok: true;
      profile: ModelProfile;
      /** The model the client asked for when it had no profile and the default serves it instead. */
      fallbackFrom: string | null;
    }
  | { ok: false; code: 'unknown_model' | 'not_supported'; message: string };

export interface EngineCatalogOptions {
  defaultProfile: ModelProfile;
  /** Further profiles by name (the default one may be repeated here). */
  profiles?: ModelProfile[];
  unknownModel: 'default' | 'reject';
  /** Every distinct engine built for the catalog, each closed once on shutdown. */
  ownedEngines?: Array<{ close?(): Promise<void> }>;
}

export class EngineCatalog {
  readonly defaultProfile: ModelProfile;
  readonly #profiles = new Map<string, ModelProfile>();
  readonly #unknownModel: 'default' | 'reject';
  readonly #owned: Array<{ close?(): Promise<void> }>;

  constructor(options: EngineCatalogOptions) {
    this.defaultProfile = options.defaultProfile;
    this.#profiles.set(options.defaultProfile.name, options.defaultProfile);
    for (const profile of options.profiles ?? []) this.#profiles.set(profile.name, profile);
    this.#unknownModel = options.unknownModel;
    this.#owned = options.ownedEngines ?? [];
  }

  get profileNames(): string[] {
    return [...this.#profiles.keys()];
  }

  profile(name: string): ModelProfile | undefined {
    return this.#profiles.get(name);
  }

  /** Picks the profile for a connection from its `model` and agent-name query parameters. */
  resolve(model: string | null, agentName: string | null): ProfileChoice {
    if (!model && agentName) {
      const agentProfile = this.#profiles.get(agentName);
      if (agentProfile) return { ok: true, profile: agentProfile, fallbackFrom: null };
      return {
        ok: false,
        code: 'not_supported',
        message: `Agent '${agentName}' has no model profile on this server (Foundry agent sessions are not supported); connect with a model, or configure a profile named '${agentName}'.`,
      };
    }
    if (!model) return { ok: true, profile: this.defaultProfile, fallbackFrom: null };
    const profile = this.#profiles.get(model);
    if (profile) return { ok: true, profile, fallbackFrom: null };
    // A server with one profile serves whatever model name a client sends (official clients always
    // send one), so that changing only the endpoint works; the name is echoed as sent.
    if (this.#profiles.size === 1 && this.#unknownModel === 'default') return { ok: true, profile: this.defaultProfile, fallbackFrom: null };
    if (this.#unknownModel === 'default') return { ok: true, profile: this.defaultProfile, fallbackFrom: model };
    return {
      ok: false,
      code: 'unknown_model',
      message: `Unknown model '${model}'. This server offers: ${this.profileNames.join(', ')}.`,
    };
  }

  /** One block of lines per profile, for the startup banner and /healthz. */
  describe(): string[] {
    if (this.#profiles.size === 1) return describeEngines(this.defaultProfile.engines);
    return [...this.#profiles.values()].flatMap((p) => [
      `model ${p.name}${p === this.defaultProfile ? ' (default)' : ''}:`,
      ...describeEngines(p.engines).map((line) => `  ${line}`),
    ]);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...new Set(this.#owned)].map((engine) => engine.close?.()));
  }
}
