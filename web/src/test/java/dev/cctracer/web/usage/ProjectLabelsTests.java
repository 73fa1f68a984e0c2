package dev.cctracer.web.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cctracer.web.usage.Dtos.ProjectDto;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the lists name projects ({@link ProjectDto#labels}): by path, a path that two
 * project dirs share (two machines, a copy) with each dir, a project without a path by
 * its dir.
 */
class ProjectLabelsTests {

	@Test
	void aSharedPathNamesEachDirAndAMissingPathIsTheDir() {
		List<ProjectDto> projects = List.of(project("-home-a-app", "/home/a/app"), project("-srv-app", "/srv/app"),
				project("-mnt-a-app", "/home/a/app"), project("-no-cwd", null), project("-blank", " "));
		assertThat(ProjectDto.labels(projects)).containsExactly(Map.entry("-home-a-app", "/home/a/app (-home-a-app)"),
				Map.entry("-srv-app", "/srv/app"), Map.entry("-mnt-a-app", "/home/a/app (-mnt-a-app)"),
				Map.entry("-no-cwd", "-no-cwd"), Map.entry("-blank", "-blank"));
	}

	@Test
	void pathsSharedInPairsAmongTenThousandNameEveryDir() {
		List<ProjectDto> projects = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			projects.add(project("-p" + i, "repos/p" + (i / 2)));
		}
		Map<String, String> labels = ProjectDto.labels(projects);
		assertThat(labels).hasSize(10_000);
		assertThat(labels.get("-p0")).isEqualTo("repos/p0 (-p0)");
		assertThat(labels.get("-p9999")).isEqualTo("repos/p4999 (-p9999)");
	}

	private static ProjectDto project(String dir, String path) {
		return new ProjectDto(dir, path, 1, null, 0, 0, null, null, 0, 0, 0, 0);
	}

}
