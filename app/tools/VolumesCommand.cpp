#include "tools/VolumesCommand.h"

#include "cli/TextTable.h"
#include "common/Format.h"
#include "profile/ClusterManifest.h"
#include "storage/StorageReader.h"

#include <QJsonArray>

void VolumesCommand::start()
{
    if (!m_options.positional.isEmpty()) {
        fail(QStringLiteral("volumes takes no arguments"));
        return;
    }
    QHash<QString, QString> dataDirs;
    if (m_options.dirGiven) {
        const Result<ClusterManifest> read = ClusterManifest::read(m_options.dir);
        if (!read) {
            fail(read.error().describe());
            return;
        }
        const ClusterManifest &manifest = read.value();
        for (const LocalMember &m : manifest.members)
            dataDirs.insert(m.name, m.dataDir);
    }
    withSnapshot([this, dataDirs](const ClusterSnapshot &s) {
        auto *reader = new StorageReader(m_options.settings.tls, this);
        reader->setLocalDataDirs(dataDirs);
        reader->setTimeoutMs(m_options.settings.deadlines.readMs);
        reader->read(s, [this](const QList<MemberStorage> &members) {
            bool trouble = false;
            QJsonArray rows;
            for (const MemberStorage &m : members) {
                rows << m.toJson();
                trouble |= !m.reachable || !m.alarms.isEmpty();
            }
            if (m_options.json())
                printJson({{QStringLiteral("members"), rows}});
            else
                printOut(table(members));
            finish(trouble ? 2 : 0);
        });
    });
}

QString VolumesCommand::table(const QList<MemberStorage> &members)
{
    bool local = false;
    for (const MemberStorage &m : members)
        local |= m.volume.known;
    QStringList headers {QStringLiteral("NAME"), QStringLiteral("DB SIZE"), QStringLiteral("IN USE"),
        QStringLiteral("FRAGMENTED"), QStringLiteral("QUOTA"), QStringLiteral("HEADROOM"), QStringLiteral("ALARMS")};
    if (local)
        headers << QStringLiteral("FS FREE") << QStringLiteral("FS SIZE") << QStringLiteral("WAL")
                << QStringLiteral("SNAP");
    TextTable t(headers);
    QStringList notes;
    for (const MemberStorage &m : members) {
        QString name = m.name + (m.isLeader ? QStringLiteral(" *") : QString());
        if (!m.reachable) {
            QStringList row {name, QStringLiteral("-"), QStringLiteral("-"), QStringLiteral("-"), QStringLiteral("-"),
                QStringLiteral("-"), QStringLiteral("does not answer")};
            if (local)
                row << QString() << QString() << QString() << QString();
            t.addRow(row);
            continue;
        }
        if (m.quota <= 0 && !m.quotaError.isEmpty())
            notes << QStringLiteral("%1: quota unknown: %2").arg(m.name, m.quotaError);
        QStringList row {name, Format::bytes(m.dbSize), Format::bytes(m.dbSizeInUse),
            QStringLiteral("%1 %").arg(qRound(m.fragmentation() * 100)),
            m.quota > 0 ? Format::bytes(m.quota) : QStringLiteral("?"),
            m.quota > 0 ? QStringLiteral("%1 (%2 %)")
                              .arg(Format::bytes(m.headroom()))
                              .arg(qRound((1.0 - m.quotaUsedFraction()) * 100))
                        : QStringLiteral("?"),
            m.alarms.isEmpty() ? QStringLiteral("none") : m.alarms.join(QLatin1Char(','))};
        if (local) {
            if (m.volume.known)
                row << Format::bytes(m.volume.fsFree) << Format::bytes(m.volume.fsCapacity)
                    << Format::bytes(m.volume.walBytes) << Format::bytes(m.volume.snapBytes);
            else
                row << QString() << QString() << QString() << QString();
        }
        t.addRow(row);
    }
    QString out = t.toString() + QStringLiteral("* leader\n");
    for (const QString &n : std::as_const(notes))
        out += n + QLatin1Char('\n');
    return out;
}
