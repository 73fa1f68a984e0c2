package dev.cctracer.web;

import java.util.Arrays;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure the code keeps (ArchUnit, over the main classes of every module): the web
 * reaches the worker only through the worker's root package; no package of any module
 * depends on another that depends back on it; controllers run no SQL and use no
 * repository (they call their feature's service); a repository of the web or the worker
 * is used only by its own feature. The db module's repositories (the ingest's writes, the
 * jobs' reads) are a layer of their own that the worker's and the web's services share.
 */
class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.cctracer");

	/**
	 * A class's package down to the feature: {@code dev.cctracer.<module>[.<feature>]}.
	 */
	private static final SliceAssignment FEATURES = new SliceAssignment() {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String[] parts = javaClass.getPackageName().split("\\.");
			if (parts.length < 3 || !parts[0].equals("dev") || !parts[1].equals("cctracer")) {
				return SliceIdentifier.ignore();
			}
			return SliceIdentifier.of(feature(javaClass));
		}

		@Override
		public String getDescription() {
			return "the features of every module (dev.cctracer.<module>.<feature>)";
		}

	};

	@Test
	void theWebUsesOnlyTheWorkersRootPackage() {
		noClasses().that()
			.resideInAPackage("dev.cctracer.web..")
			.should()
			.dependOnClassesThat(DescribedPredicate.describe("are in a package under dev.cctracer.worker",
					(JavaClass c) -> c.getPackageName().startsWith("dev.cctracer.worker.")))
			.check(CLASSES);
	}

	@Test
	void noFeatureOfAnyModuleIsInACycle() {
		slices().assignedFrom(FEATURES).should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void controllersRunNoSqlAndUseNoRepository() {
		noClasses().that()
			.areAnnotatedWith(RestController.class)
			.or()
			.areAnnotatedWith(Controller.class)
			.should()
			.dependOnClassesThat(assignableTo(JdbcClient.class).or(annotatedWith(Repository.class)))
			.check(CLASSES);
	}

	@Test
	void repositoriesOfTheWebAndTheWorkerAreUsedOnlyByTheirOwnFeature() {
		classes().that()
			.areAnnotatedWith(Repository.class)
			.and()
			.resideInAnyPackage("dev.cctracer.web..", "dev.cctracer.worker..")
			.should(new ArchCondition<JavaClass>("be used only by classes of their own feature") {

				@Override
				public void check(JavaClass repository, ConditionEvents events) {
					for (Dependency use : repository.getDirectDependenciesToSelf()) {
						JavaClass user = use.getOriginClass();
						if (!feature(user).equals(feature(repository))) {
							events.add(SimpleConditionEvent.violated(use, use.getDescription()));
						}
					}
				}

			})
			.check(CLASSES);
	}

	/**
	 * A class's package down to the feature: {@code dev.cctracer.<module>[.<feature>]}.
	 */
	private static String feature(JavaClass javaClass) {
		String[] parts = javaClass.getPackageName().split("\\.");
		return String.join(".", Arrays.copyOf(parts, Math.min(parts.length, 4)));
	}

}
