#pragma once

#include <QString>

/// Shell completion for quorumdeck, written from the command table (CommandTable): commands,
/// their sub-commands and verbs, the options that apply to each (and to each sub-command),
/// and values where they are known (output formats, files, directories, profile names).
/// Generated at build time by quorumdeck-completion and shipped in the package.
namespace CompletionScript {

/// For bash (bash-completion's completions directory; works without bash-completion too).
QString bash();

/// For zsh (a #compdef file for a directory on $fpath).
QString zsh();

} // namespace CompletionScript
