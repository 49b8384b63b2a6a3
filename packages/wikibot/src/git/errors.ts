/** Errors of the git layer. Messages name the problem; they never carry file contents. */

const MAX_STDERR_CHARS = 2000;

/** A git command failed. `args` is the argv after `git` (content always travels on stdin, never here). */
export class GitError extends Error {
  override readonly name: string = 'GitError';
  readonly stderr: string;
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    stderr: string,
    readonly signal: NodeJS.Signals | null = null,
  ) {
    const trimmed = stderr.trim().slice(0, MAX_STDERR_CHARS);
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    super(`git ${args.join(' ')} ${how}${trimmed ? `: ${trimmed}` : ''}`);
    this.stderr = trimmed;
  }
}

/** The directory given to `GitRepository.open` is not a git repository. */
export class NotAGitRepositoryError extends Error {
  override readonly name = 'NotAGitRepositoryError';
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(`not a git repository: ${dir} (${detail})`);
  }
}

/** An argument broke a rule of the git layer (path, identity, revision, message). */
export class GitInputError extends Error {
  override readonly name = 'GitInputError';
}

/** An object the caller named by id does not exist (or is not of the expected type). */
export class GitObjectNotFoundError extends Error {
  override readonly name = 'GitObjectNotFoundError';
}

/** The branch kept moving: every compare-and-swap attempt lost its race. */
export class CommitRetriesExhaustedError extends Error {
  override readonly name = 'CommitRetriesExhaustedError';
  constructor(readonly attempts: number) {
    super(`could not publish the commit: the branch moved under ${attempts} attempts in a row`);
  }
}
