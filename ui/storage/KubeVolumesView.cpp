#include "storage/KubeVolumesView.h"
#include "widgets/TableColumns.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

QTableWidget *makeTable(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->hide();
    TableColumns::fit(t, int(headers.size()) - 1);
    t->setSortingEnabled(true);
    t->sortByColumn(0, Qt::AscendingOrder);
    return t;
}

void fillRow(QTableWidget *t, int row, const QStringList &cells, bool attention, const QString &tip = {})
{
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells.at(c));
        if (attention) {
            item->setBackground(QColor(0xff, 0xe0, 0xb2));
            item->setForeground(QColor(0x5d, 0x40, 0x37));
        }
        if (!tip.isEmpty())
            item->setToolTip(tip);
        t->setItem(row, c, item);
    }
}

} // namespace

KubeVolumesView::KubeVolumesView(QWidget *parent)
    : QWidget(parent)
    , m_headline(new QLabel(this))
    , m_refresh(new QPushButton(tr("Re&load"), this))
    , m_tabs(new QTabWidget(this))
    , m_volumes(makeTable({tr("Name"), tr("Capacity"), tr("Access"), tr("Reclaim"), tr("Status"), tr("Claim"),
                              tr("Storage class"), tr("Source"), tr("Age")},
          this))
    , m_claims(makeTable({tr("Namespace"), tr("Name"), tr("Status"), tr("Volume"), tr("Capacity"), tr("Access"),
                             tr("Storage class"), tr("Age")},
          this))
    , m_classes(makeTable(
          {tr("Name"), tr("Provisioner"), tr("Reclaim"), tr("Binding"), tr("Expansion"), tr("Default"), tr("Age")},
          this))
{
    setObjectName(QStringLiteral("kubeVolumesView"));
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refresh->setToolTip(tr("Read the volumes from the API server again"));
    m_tabs->addTab(m_volumes, tr("Persistent volumes"));
    m_tabs->addTab(m_claims, tr("Claims"));
    m_tabs->addTab(m_classes, tr("Storage classes"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_headline, 1);
    top->addWidget(m_refresh);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    connect(m_refresh, &QPushButton::clicked, this, &KubeVolumesView::refreshRequested);
    m_headline->setText(tr("Reading the kubeconfig…"));
}

QString KubeVolumesView::headline() const
{
    return m_headline->text();
}

void KubeVolumesView::setUnavailable(const QString &why)
{
    m_tabs->setEnabled(false);
    for (QTableWidget *t : {m_volumes, m_claims, m_classes})
        t->setRowCount(0);
    m_headline->setText(tr("No Kubernetes volumes: %1.").arg(why));
}

void KubeVolumesView::setVolumes(const KubeVolumes &v)
{
    m_tabs->setEnabled(true);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    int attention = 0;
    for (QTableWidget *t : {m_volumes, m_claims, m_classes})
        t->setSortingEnabled(false);

    m_volumes->setRowCount(int(v.volumes.size()));
    for (int i = 0; i < v.volumes.size(); ++i) {
        const KubePersistentVolume &p = v.volumes.at(i);
        attention += p.needsAttention();
        fillRow(m_volumes, i,
            {p.name, p.capacity, p.accessModes.join(QLatin1Char(',')), p.reclaimPolicy, p.phase, p.claim,
                p.storageClass, p.source, kubeAge(p.created, now)},
            p.needsAttention(),
            p.phase == QLatin1String("Released")
                ? tr("Released: its claim is gone but the data is still there (reclaim policy %1)").arg(p.reclaimPolicy)
                : p.reason);
    }
    m_claims->setRowCount(int(v.claims.size()));
    for (int i = 0; i < v.claims.size(); ++i) {
        const KubeVolumeClaim &c = v.claims.at(i);
        attention += c.needsAttention();
        fillRow(m_claims, i,
            {c.ns, c.name, c.phase, c.volume, c.capacity, c.accessModes.join(QLatin1Char(',')), c.storageClass,
                kubeAge(c.created, now)},
            c.needsAttention(),
            c.phase == QLatin1String("Pending") ? tr("Pending: no volume is bound yet; pods using it cannot start")
                                                : QString());
    }
    m_classes->setRowCount(int(v.classes.size()));
    for (int i = 0; i < v.classes.size(); ++i) {
        const KubeStorageClass &c = v.classes.at(i);
        fillRow(m_classes, i,
            {c.name, c.provisioner, c.reclaimPolicy, c.bindingMode, c.allowExpansion ? tr("yes") : tr("no"),
                c.isDefault ? tr("default") : QString(), kubeAge(c.created, now)},
            false);
    }
    for (QTableWidget *t : {m_volumes, m_claims, m_classes})
        t->setSortingEnabled(true);

    QString text = tr("Context %1 at %2: %3 volumes, %4 claims, %5 storage classes")
                       .arg(v.context.toHtmlEscaped(), v.server.toHtmlEscaped())
                       .arg(v.volumes.size())
                       .arg(v.claims.size())
                       .arg(v.classes.size());
    if (attention)
        text += tr(" · <b>%1 need attention</b>").arg(attention);
    for (const QString &e : v.errors)
        text += QStringLiteral("<br><span style='color:#c62828'>%1</span>").arg(e.toHtmlEscaped());
    m_headline->setText(text);
}
