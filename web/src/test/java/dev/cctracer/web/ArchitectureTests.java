package dev.cctracer.web;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure the code keeps (ArchUnit, over the main classes of every module): the web
 * reaches the worker only through the worker's root package; no package of any module
 * depends on another that depends back on it; controllers run no SQL.
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
			return SliceIdentifier.of(String.join(".", java.util.Arrays.copyOf(parts, Math.min(parts.length, 4))));
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
	void controllersRunNoSql() {
		noClasses().that()
			.areAnnotatedWith(RestController.class)
			.or()
			.areAnnotatedWith(Controller.class)
			.should()
			.dependOnClassesThat()
			.areAssignableTo(JdbcClient.class)
			.check(CLASSES);
	}

}
