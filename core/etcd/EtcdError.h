#pragma once

#include <QString>

/// A failed etcd call: the gRPC status code, etcd's own message, and one sentence an
/// operator understands. A default-constructed error means "no error".
struct EtcdError {
    /// grpc::StatusCode values, kept as int so that no gRPC header leaks out of core/etcd.
    enum Code {
        Ok = 0,
        Cancelled = 1,
        Unknown = 2,
        InvalidArgument = 3,
        DeadlineExceeded = 4,
        NotFound = 5,
        AlreadyExists = 6,
        PermissionDenied = 7,
        ResourceExhausted = 8,
        FailedPrecondition = 9,
        Aborted = 10,
        OutOfRange = 11,
        Unimplemented = 12,
        Internal = 13,
        Unavailable = 14,
        DataLoss = 15,
        Unauthenticated = 16,
    };

    int code = Ok;
    QString message; ///< what etcd (or gRPC) said, verbatim
    QString sentence; ///< what it means for the operator

    bool isError() const { return code != Ok; }
    /// etcd's answer for a revision at or below the compact revision (ErrCompacted).
    bool isCompacted() const { return message.contains(QLatin1String("required revision has been compacted")); }
    QString codeName() const;

    /// Builds the sentence from the code and etcd's message; endpoint names the member asked.
    static EtcdError fromStatus(int code, const QString &message, const QString &endpoint);
    /// An error raised by QuorumDeck itself (a refused pre-flight check, bad input).
    static EtcdError local(int code, const QString &sentence);
};
