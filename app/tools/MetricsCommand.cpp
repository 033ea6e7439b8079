#include "tools/MetricsCommand.h"

#include "scrape/MetricsFetcher.h"
#include "scrape/PromText.h"
#include "tls/HttpTls.h"

#include <QJsonArray>
#include <QUrl>
#include <cmath>

namespace {

QString fromView(std::string_view v)
{
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}

QJsonValue jsonValue(double v)
{
    // JSON has no NaN or infinities: those travel as the format's own spellings.
    if (std::isnan(v) || std::isinf(v))
        return QString::fromStdString(PromText::formatValue(v));
    return v;
}

} // namespace

void MetricsCommand::start()
{
    const QStringList args = m_options.positional;
    if (args.value(0) != QLatin1String("scrape") || args.size() != 2) {
        fail(QStringLiteral("usage: quorumdeck metrics scrape URL [-w json]"));
        return;
    }
    QUrl url = QUrl::fromUserInput(args.at(1));
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        fail(QStringLiteral("\"%1\" is not an http(s) URL").arg(args.at(1)));
        return;
    }
    if (url.path().isEmpty() || url.path() == QLatin1String("/"))
        url.setPath(QStringLiteral("/metrics"));
    QSslConfiguration tls;
    if (url.scheme() == QLatin1String("https")) {
        // The command line's --cacert, --cert and --key, as for every other command.
        const Result<QSslConfiguration> configured = HttpTls::configuration(m_options.settings.tls);
        if (!configured) {
            fail(configured.error().describe());
            return;
        }
        tls = configured.value();
    }
    auto *fetcher = new MetricsFetcher(this);
    fetcher->fetch(url, m_options.settings.deadlines.readMs, tls, m_options.settings.tls.serverName,
        [this](const MetricsFetcher::Answer &r) {
            if (!r.body)
                return fail(r.body.problem());
            if (r.httpStatus != 200)
                return fail(QStringLiteral("the scrape answered HTTP %1").arg(r.httpStatus));
            print(r.body.value());
        });
}

void MetricsCommand::print(const QByteArray &payload)
{
    PromText::ParseResult parsed;
    PromText::parse(std::string_view(payload.constData(), size_t(payload.size())), parsed);

    if (m_options.json()) {
        QList<QJsonArray> samplesOf(qsizetype(parsed.families.size()));
        for (const PromText::Sample &s : parsed.samples) {
            QJsonObject labels;
            for (uint32_t i = 0; i < s.labelCount; ++i) {
                const PromText::Label &l = parsed.labelsOf(s)[i];
                labels.insert(fromView(l.name), QString::fromStdString(l.value()));
            }
            QJsonObject o {{QStringLiteral("name"), fromView(s.name)}, {QStringLiteral("labels"), labels},
                {QStringLiteral("value"), jsonValue(s.value)}};
            if (s.hasTimestamp)
                o.insert(QStringLiteral("timestamp"), qint64(s.timestampMs));
            samplesOf[s.family].append(o);
        }
        QJsonArray families;
        for (size_t f = 0; f < parsed.families.size(); ++f) {
            const PromText::Family &fam = parsed.families[f];
            families.append(QJsonObject {{QStringLiteral("name"), fromView(fam.name)},
                {QStringLiteral("type"), fromView(PromText::typeName(fam.type))},
                {QStringLiteral("help"), QString::fromStdString(fam.help())},
                {QStringLiteral("samples"), samplesOf[qsizetype(f)]}});
        }
        QJsonArray errors;
        for (const PromText::ParseError &e : parsed.errors)
            errors.append(QJsonObject {{QStringLiteral("line"), e.line}, {QStringLiteral("column"), e.column},
                {QStringLiteral("message"), QString::fromStdString(e.message)}});
        printJson({{QStringLiteral("families"), families}, {QStringLiteral("errors"), errors}});
    } else {
        QString out;
        for (const PromText::Sample &s : parsed.samples) {
            out += fromView(s.name);
            if (s.labelCount) {
                QStringList labels;
                for (uint32_t i = 0; i < s.labelCount; ++i) {
                    const PromText::Label &l = parsed.labelsOf(s)[i];
                    labels << fromView(l.name) + QStringLiteral("=\"") + fromView(l.raw) + QLatin1Char('"');
                }
                out += QLatin1Char('{') + labels.join(QLatin1Char(',')) + QLatin1Char('}');
            }
            out += QLatin1Char(' ') + QString::fromStdString(PromText::formatValue(s.value));
            if (s.hasTimestamp)
                out += QLatin1Char(' ') + QString::number(s.timestampMs);
            out += QLatin1Char('\n');
        }
        printOut(out);
        for (const PromText::ParseError &e : parsed.errors)
            printErr(QStringLiteral("line %1, column %2: %3\n")
                         .arg(e.line)
                         .arg(e.column)
                         .arg(QString::fromStdString(e.message)));
    }
    finish(parsed.errors.empty() ? 0 : 2);
}
