// Container starters for locateService(); only used when a Docker engine is reachable. Testcontainers is imported
// when a container is started, not with this package: most runs find their services in the environment.

export async function startPostgresContainer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { GenericContainer } = await import('testcontainers');
  const container = await new GenericContainer('postgres:17-alpine')
    .withEnvironment({ POSTGRES_PASSWORD: 'test', POSTGRES_USER: 'postgres' })
    .withExposedPorts(5432)
    .start();
  const url = `postgres://postgres:test@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
  return { url, stop: async () => void (await container.stop()) };
}

export async function startRedisContainer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { GenericContainer } = await import('testcontainers');
  const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
  return { url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`, stop: async () => void (await container.stop()) };
}

export async function startKafkaContainer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer('apache/kafka:4.1.0').start();
  return { url: `${container.getHost()}:${container.getMappedPort(9093)}`, stop: async () => void (await container.stop()) };
}
