#pragma once

#include <QDialog>

/// About QuorumDeck: the icon, the version, what the build is (revision, date, Qt, gRPC and
/// the etcd API it speaks), the etcd server the console is connected to, and the licence.
class AboutDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)

public:
    /// `etcdServer`: the versions the connected cluster's members run ("" when not connected).
    explicit AboutDialog(const QString &etcdServer = {}, QWidget *parent = nullptr);

    /// The build facts as plain text (also what "Copy" puts on the clipboard, for bug reports).
    static QString buildText();
};
