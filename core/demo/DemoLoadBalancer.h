#pragma once

#include "common/Result.h"
#include "lb/HaproxyConfig.h"
#include "profile/ClusterManifest.h"

#include <QObject>
#include <functional>

/// The HAProxy in front of a demo cluster: started on free ports with its admin socket in the
/// cluster's directory, configured for the current members (checking /health over TLS with
/// the demo's certificates when the cluster has them), and kept equal to the members at
/// runtime through the admin socket (no restart, no dropped clients). Reads the manifest it is
/// given; what it starts is for the caller to record there.
class DemoLoadBalancer {
public:
    explicit DemoLoadBalancer(const ClusterManifest &manifest)
        : m_manifest(manifest)
    {
    }

    /// Starts HAProxy; the record to keep in the manifest, or why there is none (the cluster
    /// works without it). cancelled() is asked before anything is started.
    void start(
        QObject *context, std::function<bool()> cancelled, std::function<void(Result<LocalLoadBalancer>)> done) const;
    /// Puts a promoted learner's backend in rotation.
    void enableServer(const QString &member, QObject *context, std::function<void(Result<void>)> done) const;
    /// After a member joined or left: the server is added (in rotation or not) or deleted at
    /// runtime, and haproxy.cfg rewritten for the next start.
    void sync(const QString &member, bool joined, bool inRotation, QObject *context,
        std::function<void(Result<void>)> done) const;

    /// The configuration for the current members.
    HaproxyConfig config() const;
    /// config with the health checks' TLS files, when the cluster has them.
    HaproxyConfig withChecks(HaproxyConfig config) const;
    Result<void> writeConfig(const HaproxyConfig &config) const;

private:
    const ClusterManifest &m_manifest;
};
