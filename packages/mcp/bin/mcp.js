#!/usr/bin/env node
import { cliMain } from '../dist/cli/main.js';

process.exitCode = await cliMain(process.argv);
