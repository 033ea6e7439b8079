#pragma once

#include "cluster/OperationResult.h"

#include <QObject>
#include <QPointer>
#include <functional>
#include <optional>

class DemoController;
class LocalCluster;

/// Starts the window's demo cluster — or first looks for one that an earlier console left
/// running in the same directory (it crashed, or was killed), which is offered back rather
/// than replaced unasked: reattach to it, or clean it up. Lives on the GUI thread; every
/// step is asynchronous, the look at the directory included.
class DemoLauncher : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoLauncher)

public:
    struct Options {
        QString dir;
        int members = 3;
        qint64 quotaBytes = 0; ///< <= 0: etcd's default
        bool tls = false;
        bool auth = false;
    };
    /// What an earlier console left running in a directory.
    struct Survivor {
        QString dir;
        int processes = 0;
        int runningMembers = 0; ///< member processes that run (not paused)
        int members = 0;
        bool proxiesGone = false; ///< its peer proxies went with the console that hosted them
    };

    explicit DemoLauncher(QObject *parent = nullptr);

    /// Launches a demo in options.dir, unless one still runs there: then survivorFound().
    void launch(const Options &options);
    /// Looks at dir in the background: survivorFound() if a demo still runs there, else
    /// ifNothing().
    void look(const QString &dir, std::function<void()> ifNothing);
    /// Opens the cluster found running in dir again; its peer proxies are hosted here again
    /// when their host went with the console that crashed.
    void reattach(const QString &dir);
    /// Stops what runs in dir (its data stays); then launches the demo asked for, if any.
    void cleanUp(const QString &dir);
    /// A demo is being started (it is no session yet).
    bool isStarting() const { return !m_starting.isNull(); }
    /// Stops a start in progress and what it had started.
    void cancelStart(OperationCallback done);

    static QString describe(const Survivor &survivor);

signals:
    void progress(const QString &sentence);
    /// demo is ready to become a session's (which then owns it; until then it has no parent).
    /// ownsDemo: closing the window stops it. rootPassword: shown once, kept nowhere.
    void ready(DemoController *demo, bool ownsDemo, const QString &sentence, const QString &rootPassword);
    void failed(const QString &sentence);
    void survivorFound(const DemoLauncher::Survivor &survivor);
    /// A clean-up finished without a launch to follow.
    void cleanedUp(const QString &sentence);

private:
    void start(const Options &options);

    QPointer<LocalCluster> m_starting;
    /// The launch asked for while a survivor was offered: it follows a clean-up.
    std::optional<Options> m_pending;
};

Q_DECLARE_METATYPE(DemoLauncher::Survivor)
