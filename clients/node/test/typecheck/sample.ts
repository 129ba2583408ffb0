// A host program type-checked against index.d.ts by the tests (tsc --noEmit). The lines after each
// ts-expect-error directive must be refused by the compiler: they prove the types are precise.
import { Switchboard, SwitchboardError, ServerExitedError } from '../..';
import type { Number as VapiNumber, TwilioNumber, CredentialStatus, ErrorKind } from '../..';

declare const signal: { readonly aborted: boolean; addEventListener(type: 'abort', l: () => void, o?: { once?: boolean }): void; removeEventListener(type: 'abort', l: () => void): void };

export async function main(): Promise<string[]> {
  const sb = new Switchboard({ env: { SWITCHBOARD_LOG_LEVEL: 'info' }, logLevel: 'debug' });
  sb.on('progress', ({ token, value }) => void [token, value]);
  const status: CredentialStatus = await sb.setCredentials({ vapiPrivateKey: 'sk', transferPhoneNumber: null });
  const configured: boolean = status.vapi.configured;
  const listed = await sb.listNumbers({ profile: 'default' }, {
    signal,
    onProgress: (value) => { const pct: number | undefined = value.percentage; void pct; },
    onPartial: (items: VapiNumber[]) => { void items[0].voiceOnly; },
  });
  const count: number = listed.count;
  const twilio = await sb.listTwilio({ includeNonVoice: true }, { onPartial: (page: TwilioNumber[]) => void page });
  const created = await sb.createNumber({ areaCode: '415', name: 'Sales', fallbackNumber: '+14155550100' });
  const updated = await sb.updateNumber({ id: created.id, fallbackNumber: null, assistantId: null });
  const imported = await sb.importNumbers({ sids: twilio.numbers.map((n) => n.sid) });
  const firstOk: boolean | undefined = imported.results[0]?.ok;
  const provider: 'vapi' | 'twilio' | 'byo-phone-number' | 'vonage' | 'telnyx' = updated.provider;
  const raw = await sb.call<{ sleptMs: number }>('test/sleep', { ms: 1 });
  sb.initialized();
  try {
    await sb.getNumber({ id: 'x' });
  } catch (error) {
    if (error instanceof ServerExitedError) return [error.stderrTail];
    if (error instanceof SwitchboardError) {
      const kind: ErrorKind | string | undefined = error.kind;
      const code: number | null = error.code;
      void [kind, code, error.data];
    }
  }

  // @ts-expect-error areaCode is required
  await sb.createNumber({ name: 'x' });
  // @ts-expect-error includeNonVoice is a boolean
  await sb.listTwilio({ includeNonVoice: 'yes' });
  // @ts-expect-error unknown params are refused (as the server refuses them)
  await sb.getCredentialStatus({ profil: 'typo' });
  // @ts-expect-error a Number's id is a string
  const wrong: number = created.id;
  // @ts-expect-error deleteNumber needs confirm
  await sb.deleteNumber({ id: created.id });
  // @ts-expect-error there is no such method
  await sb.listNumberz();

  await sb.dispose();
  return [String(configured), String(count), String(firstOk), provider, String(raw.sleptMs), String(wrong)];
}
