package dev.cctracer.web;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cctracer.worker.indexing.Indexer;

/**
 * The whole app on a port of its own, for a test class that points it at a root of its
 * own ({@link TestRoots}, in the class's {@code @DynamicPropertySource}): the port to ask
 * ({@link TestHttp}) and the indexer that reads the root when the test says so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class OwnRootWebTest {

	/** The app's HTTP port on {@code 127.0.0.1}. */
	@LocalServerPort
	protected int port;

	/** Reads the root's transcripts ({@code scanAndIngest}). */
	@Autowired
	protected Indexer indexer;

}
