// quorumdeck-completion bash|zsh: prints the shell completion written from the command table.
// Run at build time; the package ships its output (see app/completion/CMakeLists.txt).

#include "cli/CompletionScript.h"

#include <cstdio>
#include <cstring>

int main(int argc, char *argv[])
{
    QString script;
    if (argc == 2 && std::strcmp(argv[1], "bash") == 0)
        script = CompletionScript::bash();
    else if (argc == 2 && std::strcmp(argv[1], "zsh") == 0)
        script = CompletionScript::zsh();
    else {
        std::fputs("usage: quorumdeck-completion bash|zsh\n", stderr);
        return 1;
    }
    const QByteArray bytes = script.toUtf8();
    return std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout) == size_t(bytes.size()) ? 0 : 1;
}
