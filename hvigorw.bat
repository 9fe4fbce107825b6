@echo off
rem backup-manager-project-hvigorw
rem
rem Project launcher for hvigor on Windows. With DevEco Studio 5 the hvigor wrapper ships with
rem DevEco Studio and with the Command Line Tools, not with the project; this script finds an
rem installed one and runs it in the project folder with every argument passed through.
rem Where it looks, first match wins (the same order as ./hvigorw):
rem   1. %HVIGORW%              an hvigorw.bat/.cmd/.exe or an hvigorw.js file
rem   2. %HVIGOR_HOME%          a hvigor folder: bin\hvigorw.bat or bin\hvigorw.js
rem   3. %COMMANDLINE_TOOL_DIR% the Command Line Tools: bin\hvigorw.bat, hvigor\bin\hvigorw.bat
rem                             (or the folder that holds command-line-tools\)
rem   4. %DEVECO_HOME%          a DevEco Studio installation: tools\hvigor\bin\hvigorw.js
rem   5. %DEVECO_SDK_HOME%      the SDK inside either of them: ..\bin\hvigorw.bat, ..\tools\hvigor\bin\hvigorw.js
rem   6. hvigorw on PATH        skipping this script and any copy of it
rem A hvigorw.js is run with the node next to it (TOOLS\node\node.exe), else node on PATH.
rem Exit code: hvigor's own; 9009 when no hvigor is installed (a message says what to install).
setlocal EnableExtensions DisableDelayedExpansion

set "PROJECT_DIR=%~dp0"
set "SELF=%~f0"
set "FOUND="
set "FOUND_JS="

if defined HVIGORW call :consider "%HVIGORW%"
if defined FOUND goto run
if defined FOUND_JS goto runjs

if defined HVIGOR_HOME (
  call :consider "%HVIGOR_HOME%\bin\hvigorw.bat"
  call :consider "%HVIGOR_HOME%\bin\hvigorw.js"
)
if defined FOUND goto run
if defined FOUND_JS goto runjs

if defined COMMANDLINE_TOOL_DIR (
  call :consider "%COMMANDLINE_TOOL_DIR%\bin\hvigorw.bat"
  call :consider "%COMMANDLINE_TOOL_DIR%\hvigor\bin\hvigorw.bat"
  call :consider "%COMMANDLINE_TOOL_DIR%\command-line-tools\bin\hvigorw.bat"
  call :consider "%COMMANDLINE_TOOL_DIR%\command-line-tools\hvigor\bin\hvigorw.bat"
  call :consider "%COMMANDLINE_TOOL_DIR%\hvigor\bin\hvigorw.js"
  call :consider "%COMMANDLINE_TOOL_DIR%\command-line-tools\hvigor\bin\hvigorw.js"
)
if defined FOUND goto run
if defined FOUND_JS goto runjs

if defined DEVECO_HOME call :consider "%DEVECO_HOME%\tools\hvigor\bin\hvigorw.js"
if defined FOUND goto run
if defined FOUND_JS goto runjs

if defined DEVECO_SDK_HOME (
  call :consider "%DEVECO_SDK_HOME%\..\bin\hvigorw.bat"
  call :consider "%DEVECO_SDK_HOME%\..\hvigor\bin\hvigorw.bat"
  call :consider "%DEVECO_SDK_HOME%\..\tools\hvigor\bin\hvigorw.js"
)
if defined FOUND goto run
if defined FOUND_JS goto runjs

rem PATH, entry by entry, skipping this launcher (e.g. when the project folder is on PATH).
set "REST=%PATH%"
:nextpathdir
if not defined REST goto notfound
set "DIR="
for /f "tokens=1* delims=;" %%A in ("%REST%") do (
  set "DIR=%%~A"
  set "REST=%%B"
)
if not defined DIR goto notfound
call :consider "%DIR%\hvigorw.bat"
call :consider "%DIR%\hvigorw.cmd"
call :consider "%DIR%\hvigorw.exe"
if defined FOUND goto run
goto nextpathdir

:notfound
echo hvigorw: no hvigor installation found. 1>&2
echo. 1>&2
echo This project builds with hvigor from DevEco Studio 5 (OpenHarmony SDK, API 12). Install one of: 1>&2
echo   - DevEco Studio 5.0.3 or later (then build from the IDE, or use its bundled hvigor), or 1>&2
echo   - the Command Line Tools for OpenHarmony/HarmonyOS (command-line-tools\bin holds hvigorw and ohpm), 1>&2
echo and tell this script where it is with ONE of: 1>&2
echo   set COMMANDLINE_TOOL_DIR=C:\path\to\command-line-tools    (uses ...\bin\hvigorw.bat) 1>&2
echo   set DEVECO_HOME=C:\path\to\DevEco Studio                   (uses ...\tools\hvigor\bin\hvigorw.js) 1>&2
echo   set HVIGORW=C:\path\to\hvigorw.bat                         (any hvigorw.bat or hvigorw.js) 1>&2
echo   set PATH=C:\path\to\command-line-tools\bin;%%PATH%%          (an hvigorw on PATH) 1>&2
echo hvigor also needs the OpenHarmony SDK (API 12): DevEco writes its path to local.properties 1>&2
echo (sdk.dir=...); on the command line set OHOS_BASE_SDK_HOME to the SDK folder. Run "ohpm install" 1>&2
echo in the project folder before the first build. 1>&2
exit /b 9009

:run
cd /d "%PROJECT_DIR%"
rem No CALL: a .bat/.cmd takes over this batch (like exec), so its exit code is the caller's.
"%FOUND%" %*
exit /b %ERRORLEVEL%

:runjs
for %%D in ("%FOUND_JS%\..\..\..") do set "TOOLS_DIR=%%~fD"
set "NODE_EXE="
if exist "%TOOLS_DIR%\node\node.exe" set "NODE_EXE=%TOOLS_DIR%\node\node.exe"
if not defined NODE_EXE if exist "%TOOLS_DIR%\tool\node\node.exe" set "NODE_EXE=%TOOLS_DIR%\tool\node\node.exe"
if not defined NODE_EXE for /f "delims=" %%N in ('where node.exe 2^>nul') do if not defined NODE_EXE set "NODE_EXE=%%~fN"
if defined NODE_EXE goto runnode
echo hvigorw: found "%FOUND_JS%" but no Node.js to run it, looked in "%TOOLS_DIR%\node" and on PATH. 1>&2
exit /b 9009

:runnode
cd /d "%PROJECT_DIR%"
"%NODE_EXE%" "%FOUND_JS%" %*
exit /b %ERRORLEVEL%

rem :consider PATH - sets FOUND (a runnable file) or FOUND_JS (a .js) unless PATH is missing, is a
rem folder, or is this launcher or a copy of it. Does nothing once something was found.
:consider
if defined FOUND exit /b 0
if defined FOUND_JS exit /b 0
if not exist "%~f1" exit /b 0
set "ATTR=%~a1"
if /i "%ATTR:~0,1%"=="d" exit /b 0
if /i "%~f1"=="%SELF%" exit /b 0
rem A copy of this launcher carries the marker line (find.exe by full path: a Unix find may be on PATH).
if /i "%~x1"==".bat" goto checkcopy
if /i "%~x1"==".cmd" goto checkcopy
goto accept
:checkcopy
"%SystemRoot%\System32\find.exe" "backup-manager-project-hvigorw" "%~f1" >nul 2>&1
if not errorlevel 1 exit /b 0
:accept
if /i "%~x1"==".js" (set "FOUND_JS=%~f1") else (set "FOUND=%~f1")
exit /b 0
