#include "common/Result.h"

Error Error::causedBy(const Error &cause) const
{
    Error out = *this;
    if (!m_cause) {
        out.m_cause = std::make_shared<const Error>(cause);
        return out;
    }
    out.m_cause = std::make_shared<const Error>(m_cause->causedBy(cause));
    return out;
}

Error Error::context(const QString &sentence) const
{
    Error out(m_kind, sentence);
    out.m_cause = std::make_shared<const Error>(*this);
    return out;
}

QStringList Error::chain() const
{
    QStringList out;
    for (const Error *e = this; e; e = e->cause()) {
        if (!e->sentence().isEmpty())
            out << e->sentence();
    }
    return out;
}

QString Error::describe() const
{
    return chain().join(QStringLiteral(": "));
}

QString Error::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Invalid:
        return QStringLiteral("invalid");
    case Kind::NotFound:
        return QStringLiteral("not found");
    case Kind::Unavailable:
        return QStringLiteral("unavailable");
    case Kind::Refused:
        return QStringLiteral("refused");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Io:
        return QStringLiteral("i/o");
    case Kind::Stopped:
        return QStringLiteral("stopped");
    case Kind::Internal:
        break;
    }
    return QStringLiteral("internal");
}
