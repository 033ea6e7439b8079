#include "kube/HealthReport.h"

HealthReport HealthReport::parse(int httpStatus, const QByteArray &body)
{
    HealthReport r;
    r.httpStatus = httpStatus;
    for (const QByteArray &raw : body.split('\n')) {
        const QByteArray line = raw.trimmed();
        const bool passed = line.startsWith("[+]");
        if (!passed && !line.startsWith("[-]"))
            continue;
        // "[+]name ok", "[-]name failed: reason withheld"; names hold no spaces.
        const qsizetype space = line.indexOf(' ', 3);
        const QString name = QString::fromUtf8(line.mid(3, space < 0 ? -1 : space - 3));
        r.checks << name;
        if (!passed)
            r.failedChecks << name;
    }
    r.ok = httpStatus == 200 && r.failedChecks.isEmpty();
    return r;
}

QString HealthReport::describe(const QString &what) const
{
    if (ok)
        return what;
    if (!failedChecks.isEmpty())
        return QStringLiteral("not %1: %2 failed").arg(what, failedChecks.join(QStringLiteral(", ")));
    return QStringLiteral("not %1 (HTTP %2)").arg(what).arg(httpStatus);
}
