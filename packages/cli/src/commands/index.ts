import type { Command } from '../command.js';
import { configmap } from './configmap.js';
import { consoleCommand } from './console.js';
import { explain } from './explain.js';
import { get } from './get.js';
import { hub } from './hub.js';
import { kv } from './kv.js';
import { logs } from './logs.js';

/** Every `kubesmart` subcommand, by name. A new command is a module in this folder and a line here. */
export const COMMANDS: readonly Command[] = [get, explain, logs, kv, configmap, hub, consoleCommand];
