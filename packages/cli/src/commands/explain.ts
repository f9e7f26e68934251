import { formatDiagnosis } from '@kubesmart/core/building-blocks';
import { type Command, UsageError } from '../command.js';
import { splitRef } from '../kindNames.js';

export const explain: Command = {
  name: 'explain',
  summary: 'say what is wrong with a pod: the diagnosis, its evidence (events, exit codes) and a fix',
  usage: 'explain pod/NAME [-n NS] [-o json]',
  options: { output: { type: 'string', short: 'o' } },
  async run({ positionals, values, session, io }) {
    const { kind, name } = splitRef(positionals[0], positionals[1]);
    if (kind !== 'pods') throw new UsageError(`explain diagnoses pods; got ${kind}`);
    if (values.output !== undefined && values.output !== 'json')
      throw new UsageError('explain prints text, or JSON with -o json');
    const s = await session();
    const pod = await s.q.pods().inNamespace(s.namespace).named(name).first();
    const diagnosis = await pod.explainError();
    io.out(
      values.output === 'json'
        ? `${JSON.stringify(diagnosis, null, 2)}\n`
        : `${formatDiagnosis(diagnosis)}\n`,
    );
    return 0;
  },
};
