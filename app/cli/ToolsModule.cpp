#include "cli/ToolsModule.h"

#include "cli/ModuleLoader.h"

#include <QMetaObject>
#include <QObject>
#include <cstdio>
#include <memory>
#include <vector>

namespace ToolsModule {

namespace {

const QString kModule = QStringLiteral("quorumdeck-tools.so");

const QuorumdeckModule *tools(QString *error)
{
    return ModuleLoader::load(kModule, error);
}

using Done = std::function<void(const QStringList &)>;

void deliver(void *userData, const char *const *problems, int count)
{
    // Owned here from the call on: the module calls back exactly once.
    std::unique_ptr<Done> done(static_cast<Done *>(userData));
    QStringList list;
    for (int i = 0; i < count; ++i)
        list << QString::fromUtf8(problems[i]);
    (*done)(list);
}

} // namespace

int run(const QStringList &arguments)
{
    QString error;
    const QuorumdeckModule *module = tools(&error);
    if (!module) {
        std::fprintf(stderr, "quorumdeck: %s\n", qPrintable(error));
        return 1;
    }
    std::vector<QByteArray> storage;
    storage.reserve(arguments.size());
    std::vector<char *> argv;
    for (const QString &argument : arguments) {
        storage.push_back(argument.toUtf8());
        argv.push_back(storage.back().data());
    }
    argv.push_back(nullptr);
    return module->run(int(arguments.size()), argv.data());
}

void explainTls(const TlsSettings &tls, const QString &endpoint, int deadlineMs, QObject *context,
    std::function<void(const QStringList &problems)> done)
{
    QString error;
    const QuorumdeckModule *module = tools(&error);
    if (!module || !module->explainTls) {
        // Say what failed without the diagnosis, as every other answer: later, on the loop.
        QMetaObject::invokeMethod(
            context, [done] { done({}); }, Qt::QueuedConnection);
        return;
    }
    const QByteArray ca = tls.caFile.toUtf8(), cert = tls.certFile.toUtf8(), key = tls.keyFile.toUtf8(),
                     name = tls.serverName.toUtf8(), target = endpoint.toUtf8();
    const QuorumdeckTlsQuestion question {ca.constData(), cert.constData(), key.constData(), name.constData(),
        tls.insecureSkipVerify ? 1 : 0, target.constData(), deadlineMs};
    module->explainTls(&question, context, &deliver, new Done(std::move(done)));
}

} // namespace ToolsModule
