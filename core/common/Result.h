#pragma once

#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

/// Why something failed: a sentence an operator can act on, a kind that code can branch on,
/// and the failures beneath it (the cause chain: "cannot start the demo" ← "no free port").
/// A plain value; cheap to copy (the chain is shared).
class Error {
public:
    enum class Kind {
        Invalid, ///< the input is wrong: a file, a flag, a name
        NotFound, ///< what was named does not exist
        Unavailable, ///< a process, a host or a service does not answer
        Refused, ///< it would be unsafe, or the other side said no
        Timeout, ///< a deadline passed
        Io, ///< reading or writing a file failed
        Stopped, ///< the operator stopped it where stopping was safe
        Internal, ///< a defect: should not happen
    };

    Error() = default;
    Error(Kind kind, QString sentence)
        : m_kind(kind)
        , m_sentence(std::move(sentence))
    {
    }

    static Error invalid(QString sentence) { return {Kind::Invalid, std::move(sentence)}; }
    static Error notFound(QString sentence) { return {Kind::NotFound, std::move(sentence)}; }
    static Error unavailable(QString sentence) { return {Kind::Unavailable, std::move(sentence)}; }
    static Error refused(QString sentence) { return {Kind::Refused, std::move(sentence)}; }
    static Error timeout(QString sentence) { return {Kind::Timeout, std::move(sentence)}; }
    static Error io(QString sentence) { return {Kind::Io, std::move(sentence)}; }
    static Error stopped(QString sentence) { return {Kind::Stopped, std::move(sentence)}; }

    Kind kind() const { return m_kind; }
    /// This failure alone, without its causes.
    const QString &sentence() const { return m_sentence; }
    /// The failure beneath this one, or nullptr.
    const Error *cause() const { return m_cause.get(); }

    /// This error with `cause` beneath it (after any cause it already has).
    Error causedBy(const Error &cause) const;
    /// A new error of the same kind saying what was being done: "starting member m2" over
    /// "port 2380 is taken".
    Error context(const QString &sentence) const;

    /// The sentences from this one down, outermost first.
    QStringList chain() const;
    /// The chain joined the way the CLI and the window print it: "a: b: c".
    QString describe() const;

    static QString kindName(Kind kind);

private:
    Kind m_kind = Kind::Internal;
    QString m_sentence;
    std::shared_ptr<const Error> m_cause;
};

/// A value, or the Error that prevented it: what every library returns (or hands to its
/// callback) at its boundary. Test it before use; value() on an error is a defect.
template <typename T> class [[nodiscard]] Result {
public:
    Result(T value)
        : m_state(std::move(value))
    {
    }
    Result(Error error)
        : m_state(std::move(error))
    {
    }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_state); }
    T &value() & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    const T *operator->() const { return &value(); }
    const T &operator*() const & { return value(); }

    /// The error; only when !ok().
    const Error &error() const { return std::get<1>(m_state); }
    /// The error as the CLI and the window print it, or an empty string when there is none:
    /// for callers that pass a sentence on.
    QString problem() const { return ok() ? QString() : error().describe(); }

    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

    /// The value through f, or this error.
    template <typename F> auto map(F &&f) const -> Result<decltype(f(std::declval<const T &>()))>
    {
        if (!ok())
            return error();
        return f(value());
    }

private:
    std::variant<T, Error> m_state;
};

/// Success without a value, or an Error.
template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
    {
    }
    static Result success() { return {}; }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }
    QString problem() const { return ok() ? QString() : error().describe(); }

private:
    std::optional<Error> m_error;
};
