#pragma once

#include "common/Result.h"
#include "logs/MemberLogEntry.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

class KubeClient;
class QNetworkReply;

/// One control-plane component's logs from every master, through the API's pods/log: the
/// component's static pods in kube-system (kubeadm labels them component=NAME), each read
/// with timestamps=true so that lines of all masters can be merged by time, and followed
/// while asked to. Each line's source is the pod's node.
class ControlPlaneLogs : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlPlaneLogs)

public:
    struct Options {
        QString component; ///< etcd, kube-apiserver, kube-scheduler, kube-controller-manager
        int tailLines = 200; ///< per pod; 0 for the whole log
        int sinceSeconds = 0; ///< 0: no limit
        bool follow = false;
    };

    /// The components a control plane runs as static pods, by their kubeadm names.
    static QStringList components();
    /// "scheduler" → "kube-scheduler"; "" when name is none of them.
    static QString componentNamed(const QString &name);

    ControlPlaneLogs(KubeClient *client, const Options &options, QObject *parent = nullptr);
    ~ControlPlaneLogs() override;

    /// Lists the pods, then reads their logs; finished() once every log has ended.
    void start();
    /// Ends every stream; finished() follows.
    void stop();

    struct Pod {
        QString name;
        QString node;
        QString container;
    };
    QList<Pod> pods() const { return m_pods; }

signals:
    /// The pods whose logs are read (none: failed() says why).
    void podsFound(const QList<ControlPlaneLogs::Pod> &pods);
    void linesRead(const QList<MemberLogEntry> &lines);
    /// A pod's log could not be read, or no pod could be found: a sentence.
    void failed(const QString &sentence);
    void finished();

private:
    void open(const Pod &pod);
    void read(QNetworkReply *reply, const Pod &pod, bool atEnd);
    void ended(QNetworkReply *reply);

    KubeClient *m_client;
    Options m_options;
    QList<Pod> m_pods;
    QList<QPointer<QNetworkReply>> m_streams;
    QHash<QNetworkReply *, QByteArray> m_partial;
    bool m_finished = false;
};
