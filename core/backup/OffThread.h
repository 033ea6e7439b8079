#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>
#include <memory>
#include <optional>
#include <type_traits>

/// Disk work for the thread pool, its answer delivered on context's thread (and dropped
/// when context is gone by then). The result type need not be default-constructible.
namespace OffThread {

template <typename Work, typename Done> void run(QObject *context, Work work, Done done)
{
    using R = std::invoke_result_t<Work>;
    auto out = std::make_shared<std::optional<R>>();
    auto *watcher = new QFutureWatcher<void>(context);
    QObject::connect(watcher, &QFutureWatcher<void>::finished, context, [watcher, out, done = std::move(done)] {
        watcher->deleteLater();
        done(std::move(**out));
    });
    watcher->setFuture(QtConcurrent::run([out, work = std::move(work)]() mutable { out->emplace(work()); }));
}

} // namespace OffThread
