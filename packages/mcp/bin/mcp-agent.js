#!/usr/bin/env node
import { agentMain } from '../dist/agent/main.js';

process.exitCode = await agentMain(process.argv);
