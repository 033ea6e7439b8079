#include "tools/BackupCommand.h"

#include "backup/BackupCatalog.h"
#include "backup/BackupVerifier.h"
#include "backup/BackupWriter.h"
#include "cli/TextTable.h"
#include "cluster/OperationResult.h"
#include "common/Format.h"
#include "common/MemberId.h"

#include <QFileInfo>
#include <QJsonArray>

namespace {

const QString kUsage = QStringLiteral("usage: quorumdeck backup save [--to DIR] [--from MEMBER] [--keep N] | "
                                      "backup list [--to DIR] | backup verify FILE [--etcd PATH]");

QString age(const QDateTime &time)
{
    const qint64 s = time.secsTo(QDateTime::currentDateTimeUtc());
    if (s < 120)
        return QStringLiteral("%1 s").arg(qMax<qint64>(0, s));
    if (s < 7200)
        return QStringLiteral("%1 min").arg(s / 60);
    if (s < 2 * 86400)
        return QStringLiteral("%1 h").arg(s / 3600);
    return QStringLiteral("%1 d").arg(s / 86400);
}

} // namespace

void BackupCommand::start()
{
    const QString verb = m_options.positional.value(0);
    if (verb == QLatin1String("save") && m_options.positional.size() == 1)
        save();
    else if (verb == QLatin1String("list") && m_options.positional.size() == 1)
        list();
    else if (verb == QLatin1String("verify") && m_options.positional.size() == 2)
        verify();
    else
        fail(kUsage);
}

void BackupCommand::save()
{
    BackupOptions options;
    options.directory = m_options.value(QStringLiteral("to"));
    options.from = m_options.value(QStringLiteral("from"));
    if (m_options.isSet(QStringLiteral("keep"))) {
        bool ok = false;
        options.keep = m_options.value(QStringLiteral("keep")).toInt(&ok);
        if (!ok || options.keep < 1) {
            fail(QStringLiteral("--keep takes a whole number of backups, at least 1 (got \"%1\")")
                     .arg(m_options.value(QStringLiteral("keep"))));
            return;
        }
    }
    withSnapshot([this, options](const ClusterSnapshot &s) {
        auto *writer = new BackupWriter(client(), this);
        if (!m_options.json())
            connect(writer, &BackupWriter::progress, this, [this](qint64 received, qint64 total) {
                printErr(total > 0
                        ? QStringLiteral("received %1 of %2\n").arg(Format::bytes(received), Format::bytes(total))
                        : QStringLiteral("received %1\n").arg(Format::bytes(received)));
            });
        const BackupPlan plan = BackupWriter::plan(s, options);
        if (plan.allowed && !m_options.json())
            printErr(QStringLiteral("Backing up from %1 into %2 …\n").arg(plan.memberName, plan.directory));
        writer->save(s, options, [this, s, plan](const Result<SavedBackup> &saved) {
            if (!saved) {
                journal(s, QStringLiteral("backup"), plan.memberName, OperationResult::failed(saved.problem()));
                fail(saved.problem());
                return;
            }
            journal(s, QStringLiteral("backup"), plan.memberName,
                OperationResult::done(QStringLiteral("saved %1").arg(saved->path), saved->manifest.toJson()));
            printSaved(saved.value());
            finish(0);
        });
    });
}

void BackupCommand::printSaved(const SavedBackup &saved)
{
    const BackupManifest &m = saved.manifest;
    for (const QString &path : saved.pruned)
        printErr(QStringLiteral("Removed the older backup %1\n").arg(path));
    if (!saved.warning.isEmpty())
        printErr(QStringLiteral("quorumdeck: warning: %1\n").arg(saved.warning));
    if (m_options.json()) {
        printJson(m.toJson());
        return;
    }
    printOut(QStringLiteral("Saved %1\n  revision %2, %3, from %4, SHA-256 %5\n")
                 .arg(saved.path)
                 .arg(m.revision)
                 .arg(Format::bytes(m.size), m.sourceName.isEmpty() ? m.sourceId : m.sourceName, m.sha256));
}

void BackupCommand::list()
{
    const QString dir = m_options.value(QStringLiteral("to"));
    if (!dir.isEmpty() && !QFileInfo(dir).isDir()) {
        fail(QStringLiteral("%1 is not a directory").arg(dir));
        return;
    }
    const QList<BackupEntry> entries = dir.isEmpty() ? BackupCatalog::listAll() : BackupCatalog::list(dir);
    if (m_options.json()) {
        QJsonArray rows;
        for (const BackupEntry &e : entries) {
            QJsonObject o = e.manifest ? e.manifest->toJson() : QJsonObject();
            o.insert(QStringLiteral("path"), e.path);
            if (!e.problem.isEmpty())
                o.insert(QStringLiteral("problem"), e.problem);
            rows << o;
        }
        printJson({{QStringLiteral("backups"), rows}});
    } else if (entries.isEmpty()) {
        printOut(QStringLiteral("No backups in %1\n").arg(dir.isEmpty() ? BackupCatalog::defaultRoot() : dir));
    } else {
        printOut(table(entries));
    }
    finish(0);
}

QString BackupCommand::table(const QList<BackupEntry> &entries)
{
    TextTable t({QStringLiteral("FILE"), QStringLiteral("TIME (UTC)"), QStringLiteral("AGE"),
        QStringLiteral("REVISION"), QStringLiteral("SIZE"), QStringLiteral("SOURCE"), QStringLiteral("STATE")});
    for (const BackupEntry &e : entries) {
        const QString name = QFileInfo(e.path).fileName();
        if (!e.manifest) {
            t.addRow({name, QString(), QString(), QString(), QString(), QString(), e.problem});
            continue;
        }
        const BackupManifest &m = *e.manifest;
        t.addRow({name, m.time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), age(m.time),
            QString::number(m.revision), Format::bytes(m.size), m.sourceName.isEmpty() ? m.sourceId : m.sourceName,
            BackupVerification::stateName(m.verification.state)});
    }
    return t.toString();
}

void BackupCommand::verify()
{
    const QString file = m_options.positional.at(1);
    auto *verifier = new BackupVerifier(this);
    if (!m_options.json())
        connect(verifier, &BackupVerifier::stepStarted, this,
            [this](const StepStart &step) { printErr(QStringLiteral("%1 …\n").arg(step.name)); });
    const ConnectionSettings &settings = m_options.settings;
    verifier->verify(file, m_options.value(QStringLiteral("etcd")), settings.user, settings.password,
        [this, file](const Result<VerifyReport> &r) {
            // The cluster the file names, for the journal.
            const uint64_t clusterId = MemberId::fromHex(QFileInfo(file).fileName().left(16)).value_or(0);
            if (!r) {
                journal(clusterId, QStringLiteral("verify backup"), file, OperationResult::failed(r.problem()));
                fail(r.problem());
                return;
            }
            const BackupVerification &v = r->verification;
            const bool failed = v.state == BackupVerification::State::Failed;
            journal(clusterId, QStringLiteral("verify backup"), file,
                failed ? OperationResult::failed(v.sentence, r->toJson())
                       : OperationResult::done(v.sentence, r->toJson()));
            if (m_options.json()) {
                printJson(r->toJson());
            } else {
                for (const QString &check : r->checks)
                    printOut(QStringLiteral("  ✓ %1\n").arg(check));
                if (!failed)
                    printOut(QStringLiteral("%1: %2\n").arg(QFileInfo(file).fileName(), v.sentence));
            }
            if (failed) {
                fail(v.sentence, 2);
                return;
            }
            finish(0);
        });
}
