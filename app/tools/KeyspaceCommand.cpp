#include "tools/KeyspaceCommand.h"

#include "cli/TextTable.h"
#include "common/Format.h"
#include "storage/KeyspaceWalker.h"

#include <QElapsedTimer>
#include <memory>

namespace {

bool positiveInt(const QString &text, int max, int *out)
{
    bool ok = false;
    const int n = text.toInt(&ok);
    if (!ok || n < 1 || n > max)
        return false;
    *out = n;
    return true;
}

QString share(int64_t part, int64_t whole)
{
    return whole > 0 ? QStringLiteral("%1 %").arg(100.0 * double(part) / double(whole), 0, 'f', 1)
                     : QStringLiteral("-");
}

} // namespace

void KeyspaceCommand::start()
{
    if (!m_options.positional.isEmpty()) {
        fail(QStringLiteral("usage: quorumdeck keyspace [--prefix P] [--depth N] [--top K]"));
        return;
    }
    int depth = 3;
    int top = 10;
    if (m_options.isSet(QStringLiteral("depth"))
        && !positiveInt(m_options.value(QStringLiteral("depth")), 64, &depth)) {
        fail(QStringLiteral("--depth takes a number of segments from 1 to 64"));
        return;
    }
    if (m_options.isSet(QStringLiteral("top")) && !positiveInt(m_options.value(QStringLiteral("top")), 10000, &top)) {
        fail(QStringLiteral("--top takes a number of keys from 1 to 10000"));
        return;
    }
    const QByteArray prefix = m_options.value(QStringLiteral("prefix")).toUtf8();
    withSnapshot([this, prefix, depth, top](const ClusterSnapshot &s) {
        m_walker = new KeyspaceWalker(client(), this);
        // Progress at most twice a second: a walk of millions of keys would otherwise print
        // thousands of lines.
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        connect(m_walker, &KeyspaceWalker::progress, this, [this, clock](qint64 walked, qint64 total) {
            if (clock->elapsed() < 500 && walked < total)
                return;
            clock->restart();
            printErr(QStringLiteral("walked %1 of %2 keys (%3)\n").arg(walked).arg(total).arg(share(walked, total)));
        });
        m_walker->start(s, prefix, depth, top, [this](const Result<KeyspaceSummary> &r) {
            if (!r) {
                fail(r.problem());
                return;
            }
            if (m_options.json())
                printJson(r->toJson());
            else
                printOut(table(*r));
            finish(0);
        });
    });
}

QString KeyspaceCommand::table(const KeyspaceSummary &summary)
{
    TextTable prefixes(
        {QStringLiteral("PREFIX"), QStringLiteral("KEYS"), QStringLiteral("BYTES"), QStringLiteral("SHARE")});
    for (const KeyspaceSummary::Prefix &p : summary.prefixes())
        prefixes.addRow({p.prefix.isEmpty() ? QStringLiteral("(no prefix)") : KeyspaceSummary::printable(p.prefix),
            QString::number(p.keys), Format::bytes(p.bytes), share(p.bytes, summary.bytes())});
    TextTable largest({QStringLiteral("LARGEST KEYS"), QStringLiteral("BYTES")});
    for (const KeyspaceSummary::Key &k : summary.largest())
        largest.addRow({KeyspaceSummary::printable(k.key), Format::bytes(k.bytes)});
    return QStringLiteral("%1 keys, %2 (keys and values) at revision %3\n\n")
               .arg(summary.keys())
               .arg(Format::bytes(summary.bytes()))
               .arg(summary.revision)
        + prefixes.toString() + QLatin1Char('\n') + largest.toString();
}
