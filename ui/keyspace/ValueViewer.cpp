#include "keyspace/ValueViewer.h"

#include "common/Format.h"
#include "kube/KubeStorageEnvelope.h"
#include "storage/KeyspaceSummary.h"
#include "storage/ValueFormat.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

ValueViewer::ValueViewer(QWidget *parent)
    : QWidget(parent)
    , m_headline(new QLabel(tr("Select a key to see its value."), this))
    , m_format(new QComboBox(this))
    , m_text(new QPlainTextEdit(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_headline, 1);
    m_format->addItem(tr("Text"), int(ValueFormat::Kind::Text));
    m_format->addItem(tr("JSON"), int(ValueFormat::Kind::Json));
    m_format->addItem(tr("Hex"), int(ValueFormat::Kind::Hex));
    m_format->setToolTip(tr("How to show the value"));
    top->addWidget(m_format);
    layout->addLayout(top);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setAccessibleName(tr("Value"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_text, 1);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ValueViewer::render);
}

void ValueViewer::showValue(const QByteArray &key, const QByteArray &value, qint64 modRevision)
{
    m_value = value;
    m_hasValue = true;
    QString head = tr("%1 · %2 · modified at revision %3")
                       .arg(KeyspaceSummary::printable(key), Format::bytes(value.size()))
                       .arg(modRevision);
    ValueFormat::Kind kind = ValueFormat::guess(value);
    if (const auto envelope = KubeStorageEnvelope::decode(value)) {
        // The object inside is protobuf: its bytes read best in hex, its type from the envelope.
        head += tr(" · Kubernetes %1 %2 (protobuf, %3)")
                    .arg(envelope->apiVersion, envelope->kind, Format::bytes(envelope->rawBytes));
        kind = ValueFormat::Kind::Hex;
    }
    m_headline->setText(head);
    const QSignalBlocker quiet(m_format);
    m_format->setCurrentIndex(m_format->findData(int(kind)));
    render();
}

void ValueViewer::showMessage(const QString &message)
{
    m_hasValue = false;
    m_value.clear();
    m_headline->setText(message);
    m_text->clear();
}

QString ValueViewer::headline() const
{
    return m_headline->text();
}

QString ValueViewer::body() const
{
    return m_text->toPlainText();
}

void ValueViewer::render()
{
    if (!m_hasValue)
        return;
    m_text->setPlainText(ValueFormat::render(m_value, ValueFormat::Kind(m_format->currentData().toInt())));
}
