#include "etcd/GrpcRuntime.h"

#include <grpcpp/grpcpp.h>
#include <thread>

namespace GrpcRuntime {

void startInBackground()
{
    std::thread([] {
        // Both are thread-safe: a client that gets there first runs the same start and the
        // other waits for it.
        grpc_init();
        // gRPC builds its registry of resolvers, balancers and filters with the first channel.
        // A channel connects only when a call or a state request asks it to, so this one
        // never touches the network.
        grpc::CreateChannel("ipv4:127.0.0.1:1", grpc::InsecureChannelCredentials());
    }).detach();
}

} // namespace GrpcRuntime
