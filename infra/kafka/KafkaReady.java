// Readiness probe for the local broker, run by kafka.sh with the broker's own
// classpath in Java's single-file source mode (no build step):
//   java -cp '<libs>/*' infra/kafka/KafkaReady.java <host:port> <timeoutMs>
// Exits 0 once a metadata request (Admin.describeCluster) answers with a
// controller and at least one broker, 1 on timeout (last error on stdout).
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

public class KafkaReady {
  public static void main(String[] args) throws Exception {
    String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
    long timeoutMs = args.length > 1 ? Long.parseLong(args[1]) : 60_000L;
    long deadline = System.currentTimeMillis() + timeoutMs;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-ready");
    String lastError = "no attempt";
    try (Admin admin = Admin.create(p)) {
      while (System.currentTimeMillis() < deadline) {
        try {
          DescribeClusterResult r =
              admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000));
          int brokers = r.nodes().get(5, TimeUnit.SECONDS).size();
          var controller = r.controller().get(5, TimeUnit.SECONDS);
          String clusterId = r.clusterId().get(5, TimeUnit.SECONDS);
          if (brokers > 0 && controller != null && !controller.isEmpty()) {
            System.out.println("ready cluster=" + clusterId + " brokers=" + brokers);
            return;
          }
          lastError = "brokers=" + brokers + " controller=" + controller;
        } catch (Exception e) {
          Throwable c = e.getCause() != null ? e.getCause() : e;
          lastError = c.getClass().getSimpleName() + ": " + c.getMessage();
        }
        Thread.sleep(250);
      }
    }
    System.out.println("not ready after " + timeoutMs + " ms: " + lastError);
    System.exit(1);
  }
}
