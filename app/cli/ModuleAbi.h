#pragma once

// The binary's contract with the modules it loads (quorumdeck-tools.so, quorumdeck-gui.so):
// one C symbol, `quorumdeck_module`, a table of plain C functions and types, checked before
// anything in it is called. A module from another build (a stale file left in the private
// library directory, a package half upgraded) is refused with a sentence instead of calling a
// function whose signature changed. The C++ types the module and the binary share through the
// cluster library are only safe between one build's files: hence the build id.

#ifdef __cplusplus
extern "C" {
#endif

/// Raised whenever the table or the meaning of a field changes.
#define QUORUMDECK_MODULE_ABI 1

/// The symbol every module exports: a `const QuorumdeckModule`.
#define QUORUMDECK_MODULE_SYMBOL "quorumdeck_module"

/// Why TLS to an endpoint fails: the question. Strings are UTF-8; unset ones are "".
typedef struct QuorumdeckTlsQuestion {
    const char *caFile;
    const char *certFile;
    const char *keyFile;
    const char *serverName;
    int insecureSkipVerify;
    const char *endpoint;
    int deadlineMs;
} QuorumdeckTlsQuestion;

/// Called once, on the thread of the context object, with the problems found (none when the
/// module sees nothing wrong). The strings live until the call returns.
typedef void (*QuorumdeckProblemsDone)(void *userData, const char *const *problems, int count);

typedef struct QuorumdeckModule {
    int abi; ///< QUORUMDECK_MODULE_ABI of the module's build
    const char *build; ///< the build id: version and revision, "0.1.0+abc1234"
    /// Runs the module: a command line as main() gets it, its exit code.
    int (*run)(int argc, char **argv);
    /// Diagnoses TLS to an endpoint; context is the QObject the answer is delivered on.
    /// Null in a module that does not diagnose (the window).
    void (*explainTls)(
        const QuorumdeckTlsQuestion *question, void *context, QuorumdeckProblemsDone done, void *userData);
} QuorumdeckModule;

#ifdef __cplusplus
}
#endif
