#include "keyspace/PrefixTree.h"

#include "common/Format.h"
#include "widgets/UsageBarDelegate.h"

#include <QHeaderView>
#include <map>

namespace {

/// One node while the tree is built: its sums and its children by segment.
struct Node {
    QString path;
    int64_t keys = 0;
    int64_t bytes = 0;
    std::map<QString, Node> children;
};

void fill(QTreeWidgetItem *item, const Node &node, int64_t total)
{
    item->setText(PrefixTree::Prefix, node.path);
    item->setToolTip(PrefixTree::Prefix, node.path);
    item->setText(PrefixTree::Keys, QString::number(node.keys));
    item->setData(PrefixTree::Keys, Qt::UserRole, qint64(node.keys));
    item->setTextAlignment(PrefixTree::Keys, Qt::AlignRight | Qt::AlignVCenter);
    item->setText(PrefixTree::Bytes, Format::bytes(node.bytes));
    item->setTextAlignment(PrefixTree::Bytes, Qt::AlignRight | Qt::AlignVCenter);
    const double share = total > 0 ? double(node.bytes) / double(total) : 0.0;
    item->setText(PrefixTree::Share, QStringLiteral("%1 %").arg(share * 100, 0, 'f', 1));
    item->setData(PrefixTree::Share, PrefixTree::FractionRole, share);
    std::vector<const Node *> children;
    for (const auto &[segment, child] : node.children)
        children.push_back(&child);
    std::sort(children.begin(), children.end(),
        [](const Node *a, const Node *b) { return a->bytes != b->bytes ? a->bytes > b->bytes : a->path < b->path; });
    for (const Node *child : children)
        fill(new QTreeWidgetItem(item), *child, total);
}

} // namespace

PrefixTree::PrefixTree(QWidget *parent)
    : QTreeWidget(parent)
{
    setHeaderLabels({tr("Prefix"), tr("Keys"), tr("Bytes"), tr("Share of the keyspace")});
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    auto *bars = new UsageBarDelegate(FractionRole, 2.0, 2.0, this);
    bars->setNeutral(true);
    setItemDelegateForColumn(Share, bars);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(Prefix, QHeaderView::Stretch);
    header()->setSectionResizeMode(Keys, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(Bytes, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(Share, QHeaderView::Interactive);
    header()->resizeSection(Share, 200);
}

void PrefixTree::setSummary(const KeyspaceSummary &summary)
{
    // Each group's prefix is split into its segments; every level sums what lies below.
    Node root;
    for (const KeyspaceSummary::Prefix &p : summary.prefixes()) {
        const QString path = KeyspaceSummary::printable(p.prefix);
        if (path.isEmpty() || path == QLatin1String("/")) {
            // Keys right under the root, or keys with no slash at all: a leaf of their own.
            Node &leaf = root.children[QStringLiteral("leaf:") + path];
            leaf.path = path.isEmpty() ? tr("(no prefix)") : path;
            leaf.keys += p.keys;
            leaf.bytes += p.bytes;
            continue;
        }
        // Empty segments are kept ("/a//b" is not "/a/b"), and "/registry" is not "registry".
        const bool rooted = path.startsWith(QLatin1Char('/'));
        const QStringList segments = path.mid(rooted ? 1 : 0).split(QLatin1Char('/'));
        Node *at = &root;
        QString sofar = rooted ? QStringLiteral("/") : QString();
        for (int i = 0; i < segments.size(); ++i) {
            sofar += (i == 0 ? QString() : QStringLiteral("/")) + segments.at(i);
            Node &child = at->children[i == 0 ? sofar : segments.at(i)];
            child.path = sofar;
            child.keys += p.keys;
            child.bytes += p.bytes;
            at = &child;
        }
    }
    clear();
    auto *top = new QTreeWidgetItem();
    root.path = tr("All keys at revision %1").arg(summary.revision);
    root.keys = summary.keys();
    root.bytes = summary.bytes();
    fill(top, root, summary.bytes());
    addTopLevelItem(top);
    top->setExpanded(true);
    for (int i = 0; i < top->childCount(); ++i)
        top->child(i)->setExpanded(true);
}
