// bench_face_opencv.cpp - the anchor for bench_face: OpenCV's
// CascadeClassifier on the same gray frames with the same cascade and
// parameters, one thread, no OpenCL. Built only where pkg-config finds
// opencv4; called from bench_face.c through a C interface.
#include <opencv2/core.hpp>
#include <opencv2/core/ocl.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

extern "C" int bench_opencv_detect(const char *cascade, const unsigned char *gray, int w, int h,
                                   double scale_factor, int min_neighbours, int min_size,
                                   int max_size, int runs, double *median_ms, int *boxes,
                                   int max_boxes)
{
    cv::setNumThreads(1);
    cv::ocl::setUseOpenCL(false);
    cv::CascadeClassifier cc;
    if (!cc.load(cascade))
        return -1;
    cv::Mat img(h, w, CV_8UC1, const_cast<unsigned char *>(gray));
    std::vector<cv::Rect> faces;
    std::vector<double> t;
    for (int i = 0; i < runs + 3; i++) {
        auto a = std::chrono::steady_clock::now();
        cc.detectMultiScale(img, faces, scale_factor, min_neighbours, 0,
                            cv::Size(min_size, min_size), cv::Size(max_size, max_size));
        auto b = std::chrono::steady_clock::now();
        if (i >= 3)
            t.push_back(std::chrono::duration<double, std::milli>(b - a).count());
    }
    std::sort(t.begin(), t.end());
    *median_ms = t[t.size() / 2];
    int n = 0;
    for (const cv::Rect &r : faces) {
        if (n == max_boxes)
            break;
        boxes[n * 4 + 0] = r.x;
        boxes[n * 4 + 1] = r.y;
        boxes[n * 4 + 2] = r.width;
        boxes[n * 4 + 3] = r.height;
        n++;
    }
    return (int)faces.size();
}
