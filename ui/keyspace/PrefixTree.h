#pragma once

#include "storage/KeyspaceSummary.h"

#include <QTreeWidget>

/// The prefixes of a keyspace walk as a tree: "/registry" holds "/registry/pods", which
/// holds "/registry/pods/default"; every node shows its keys, bytes and share of the whole,
/// children largest first.
class PrefixTree : public QTreeWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PrefixTree)

public:
    enum Column { Prefix, Keys, Bytes, Share };
    static constexpr int FractionRole = Qt::UserRole + 1;

    explicit PrefixTree(QWidget *parent = nullptr);
    void setSummary(const KeyspaceSummary &summary);
};
