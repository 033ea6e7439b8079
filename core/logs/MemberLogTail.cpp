#include "logs/MemberLogTail.h"

#include <QFile>
#include <QtConcurrent>
#include <sys/stat.h>

namespace {
/// Bytes read at most in one batch; the rest comes with the next.
constexpr qint64 kMaxBatchBytes = 8 * 1024 * 1024;
} // namespace

MemberLogTail::MemberLogTail(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
{
    connect(&m_timer, &QTimer::timeout, this, &MemberLogTail::readNow);
    connect(&m_watcher, &QFutureWatcher<Chunk>::finished, this, [this] {
        const Chunk c = m_watcher.result();
        if (!c.error.isEmpty()) {
            emit failed(c.error);
            return;
        }
        m_offset = c.nextOffset;
        m_inode = c.inode;
        if (!c.lines.isEmpty() || c.restarted)
            emit linesRead(c.lines, c.restarted);
        if (c.more)
            readNow(); // the file grew by more than one batch
    });
}

MemberLogTail::~MemberLogTail()
{
    m_timer.stop();
    m_watcher.waitForFinished(); // only at exit: dispose() never gets here with a read running
}

void MemberLogTail::dispose()
{
    m_timer.stop();
    disconnect(this, nullptr, nullptr, nullptr); // nothing more reaches the owner
    if (!m_watcher.isRunning()) {
        deleteLater();
        return;
    }
    connect(&m_watcher, &QFutureWatcher<Chunk>::finished, this, &QObject::deleteLater);
}

void MemberLogTail::start(int intervalMs)
{
    readNow();
    if (intervalMs > 0)
        m_timer.start(intervalMs);
}

void MemberLogTail::stop()
{
    m_timer.stop();
}

void MemberLogTail::readNow()
{
    if (m_watcher.isRunning())
        return;
    m_watcher.setFuture(QtConcurrent::run(&MemberLogTail::read, m_path, m_offset, m_inode));
}

MemberLogTail::Chunk MemberLogTail::read(const QString &path, qint64 offset, quint64 inode)
{
    Chunk c;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        c.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return c;
    }
    struct stat st { };
    if (::fstat(file.handle(), &st) == 0)
        c.inode = quint64(st.st_ino);
    const qint64 size = file.size();
    if (size < offset || (inode && c.inode != inode)) {
        offset = 0;
        c.restarted = true;
    }
    if (offset == 0 && size > kMaxBatchBytes) {
        // The first read keeps to the end of a big file: the last lines are what matters.
        offset = size - kMaxBatchBytes;
        file.seek(offset);
        file.readLine(); // a partial line
        offset = file.pos();
    }
    file.seek(offset);
    const QByteArray bytes = file.read(std::min(kMaxBatchBytes, size - offset));
    // Only whole lines: a line being written is read next time.
    const qsizetype end = bytes.lastIndexOf('\n') + 1;
    c.nextOffset = offset + end;
    c.more = end > 0 && c.nextOffset < size;
    qsizetype from = 0;
    while (from < end) {
        const qsizetype nl = bytes.indexOf('\n', from);
        const QByteArrayView line(bytes.constData() + from, nl - from);
        if (!line.trimmed().isEmpty())
            c.lines << MemberLogEntry::parse(line);
        from = nl + 1;
    }
    if (c.lines.size() > kInitialLines)
        c.lines = c.lines.mid(c.lines.size() - kInitialLines);
    return c;
}
