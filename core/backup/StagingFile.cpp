#include "backup/StagingFile.h"

#include <QDir>
#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace {

QString lastError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

StagingFile::~StagingFile()
{
    discard();
}

Result<void> StagingFile::open(const QString &directory)
{
    discard();
    m_directory = directory;
    const QByteArray dir = QFile::encodeName(directory);
    m_fd = ::open(dir.constData(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (m_fd >= 0)
        return {};
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
        return Error::io(QStringLiteral("cannot create a file in %1: %2").arg(directory, lastError()));
    QByteArray part = dir + "/.quorumdeck-XXXXXX.part";
    m_fd = ::mkstemps(part.data(), 5);
    if (m_fd < 0)
        return Error::io(QStringLiteral("cannot create a file in %1: %2").arg(directory, lastError()));
    m_partPath = QFile::decodeName(part);
    return {};
}

Result<void> StagingFile::write(const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(m_fd, data, size_t(size));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return Error::io(QStringLiteral("cannot write to %1: %2").arg(m_directory, lastError()));
        data += n;
        size -= n;
    }
    return {};
}

Result<void> StagingFile::sync()
{
    if (::fsync(m_fd) != 0)
        return Error::io(QStringLiteral("cannot write to %1: %2").arg(m_directory, lastError()));
    return {};
}

QString StagingFile::readablePath() const
{
    return m_partPath.isEmpty() ? QStringLiteral("/proc/self/fd/%1").arg(m_fd) : m_partPath;
}

Result<void> StagingFile::publish(const QString &fileName)
{
    const QByteArray target = QFile::encodeName(QDir(m_directory).filePath(fileName));
    int rc = 0;
    if (m_partPath.isEmpty()) {
        const QByteArray source = QFile::encodeName(readablePath());
        rc = ::linkat(AT_FDCWD, source.constData(), AT_FDCWD, target.constData(), AT_SYMLINK_FOLLOW);
    } else if (::access(target.constData(), F_OK) == 0) {
        errno = EEXIST;
        rc = -1;
    } else {
        rc = ::rename(QFile::encodeName(m_partPath).constData(), target.constData());
    }
    if (rc != 0)
        return Error::io(QStringLiteral("cannot name %1 in %2: %3").arg(fileName, m_directory, lastError()));
    m_partPath.clear();
    ::close(m_fd);
    m_fd = -1;
    const int dirFd = ::open(QFile::encodeName(m_directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

void StagingFile::discard()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    if (!m_partPath.isEmpty())
        QFile::remove(m_partPath);
    m_partPath.clear();
}
